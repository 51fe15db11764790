"""The command line behind the Makefile: build, check, new, linkcheck and the post-build steps."""
