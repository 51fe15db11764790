"""HTML for published photos: <picture> with WebP and a JPEG (or PNG) fallback."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .pipeline import Derivative


@dataclass(frozen=True)
class Responsive:
    """The derivatives of one photo for one use, with their public URLs.

    Templates use it too (``article.image_card``): ``webp_srcset``,
    ``fallback_srcset``, ``src``, ``width``, ``height``.
    """

    files: tuple[tuple[str, Derivative], ...]  # (URL, derivative), smallest first

    def _of(self, formats: tuple[str, ...]) -> list[tuple[str, Derivative]]:
        return [(url, d) for url, d in self.files if d.format in formats]

    def srcset(self, formats: tuple[str, ...]) -> str:
        return ", ".join(f"{url} {d.width}w" for url, d in self._of(formats))

    @property
    def webp_srcset(self) -> str:
        return self.srcset(("webp",))

    @property
    def fallback_srcset(self) -> str:
        return self.srcset(("jpeg", "png"))

    @property
    def fallback(self) -> tuple[str, Derivative]:
        # The middle size: sharp enough where srcset is ignored, light enough for phones.
        candidates = self._of(("jpeg", "png"))
        return candidates[len(candidates) // 2]

    @property
    def src(self) -> str:
        return self.fallback[0]

    @property
    def width(self) -> int:
        return self.fallback[1].width

    @property
    def height(self) -> int:
        return self.fallback[1].height


def picture(image: Responsive, alt: str, sizes: str, first: bool, title: str = "") -> str:
    """The first photo of a page is the likely largest paint: fetched early, never lazily."""
    loading = 'fetchpriority="high"' if first else 'loading="lazy" decoding="async"'
    title_attr = f' title="{escape(title)}"' if title else ""
    return (
        f'<picture><source type="image/webp" srcset="{escape(image.webp_srcset)}" sizes="{escape(sizes)}">'
        f'<img src="{escape(image.src)}" srcset="{escape(image.fallback_srcset)}" sizes="{escape(sizes)}" '
        f'width="{image.width}" height="{image.height}" alt="{escape(alt)}"{title_attr} {loading}></picture>'
    )


def video(url: str, label: str) -> str:
    # The link inside is shown only by browsers that cannot play the video.
    return (
        f'<video controls preload="metadata" src="{escape(url)}">'
        f'<a href="{escape(url)}">Tải video{": " + escape(label) if label else ""}</a></video>'
    )


@dataclass(frozen=True)
class CardImage(Responsive):
    """A listing thumbnail; carries its ``sizes`` because macros do not see the settings."""

    sizes: str = ""
    lead_sizes: str = ""  # the home page's lead card spans the whole column
