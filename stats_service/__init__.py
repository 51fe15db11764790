"""stats_service: the portal's small visitor-counting service.

A Starlette app served by uvicorn next to the static site. It counts page
views for the paths in the build's manifest and answers the figures the
"Thống kê truy cập" widget shows. No cookies; no IP address or user agent is
stored or logged (see docs/stats-api.md).
"""
