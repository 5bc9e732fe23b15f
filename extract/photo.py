"""Making a phone photo look like a scan: orientation, the page's quadrilateral, even light, size.

Pure Pillow + numpy (no OpenCV): the page is the bright region (Otsu threshold, specks opened
away); its corners are the extreme points along the diagonals; a perspective transform maps
them to an upright rectangle.
Light is evened out by dividing by a blurred estimate of the paper's brightness.
"""

from __future__ import annotations

from typing import Any

PAGE_DPI = 300  # a photographed page is treated as A4 read at this resolution
_A4_WIDTH_PX = round(8.27 * PAGE_DPI)
_MIN_PAGE_SHARE = 0.25  # a quadrilateral smaller than this share of the photo is not the page
PHOTO_NOTE = "photo_light_normalised"  # the page note that marks a page read from a photo


def prepare_photo(image: Any) -> tuple[Any, int, list[str]]:
    """An upright, flattened, evenly lit grayscale page, the dpi to read it at, and notes."""
    from PIL import ImageOps

    notes: list[str] = []
    oriented = image
    if image.getexif().get(0x0112, 1) != 1:  # EXIF Orientation: the camera was turned
        oriented = ImageOps.exif_transpose(image)
        notes.append("photo_exif_orientation")
    gray = oriented.convert("L")
    dpi = _declared_dpi(image)
    if dpi is None:  # a photo, not a scan: find the page, flatten it, treat it as A4
        gray, flat_notes = flatten_photo(gray, page_quadrilateral(gray))
        notes.extend(flat_notes)
        dpi = PAGE_DPI
    elif dpi > PAGE_DPI * 1.2:  # a fine scan: tesseract is as good and far faster at 300 dpi
        size = (round(gray.width * PAGE_DPI / dpi), round(gray.height * PAGE_DPI / dpi))
        gray = gray.resize(size, resample=_lanczos())
        dpi = PAGE_DPI
    return gray, dpi, notes


def flatten_photo(gray: Any, quad: list[tuple[float, float]] | None) -> tuple[Any, list[str]]:
    """The page inside `quad` mapped upright, its light evened, at most ~A4 at 300 dpi.

    Not binarised: a threshold of our own (Otsu, or halfway between ink and paper) read some
    boxes better and lost as many other fields on the dev set's photos; tesseract's own does
    as well.
    """
    notes: list[str] = []
    if quad is not None:
        gray = _unwarp(gray, quad)
        notes.append("photo_perspective_corrected")
    gray = even_light(gray)
    notes.append(PHOTO_NOTE)
    if gray.width > _A4_WIDTH_PX * 1.15:
        height = round(gray.height * _A4_WIDTH_PX / gray.width)
        gray = gray.resize((_A4_WIDTH_PX, height), resample=_lanczos())
    return gray, notes


def photographed_page(gray: Any) -> list[tuple[float, float]] | None:
    """The paper's corners when a rendered page is a photo of a sheet lying on something darker
    (a table's border shows around it), else None.

    An image-only PDF may hold a phone photo: its lines then run askew and the light falls off
    across the page, which reading it as a scan leaves in (amounts drift onto the neighbouring
    label's line). A scan's paper reaches the frame, or its corners are filled white; a photo's
    paper is a quadrilateral clearly smaller than the frame.
    """
    quad = page_quadrilateral(gray)
    if quad is None:
        return None
    return quad if _area(quad) < _PHOTO_PAGE_SHARE * gray.width * gray.height else None


_PHOTO_PAGE_SHARE = 0.96  # the paper covers less of the frame than this: a background shows


def _area(quad: list[tuple[float, float]]) -> float:
    """Area of a polygon (shoelace formula)."""
    twice = 0.0
    for (x0, y0), (x1, y1) in zip(quad, quad[1:] + quad[:1], strict=True):
        twice += x0 * y1 - x1 * y0
    return abs(twice) / 2


def _lanczos() -> Any:
    from PIL import Image

    return Image.Resampling.LANCZOS


def _declared_dpi(image: Any) -> int | None:
    """The resolution a scanner wrote into the file; cameras write 72 (or nothing)."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    value = round(float(dpi[0]))
    return value if value >= 100 else None


def page_quadrilateral(gray: Any) -> list[tuple[float, float]] | None:
    """Corners (top-left, top-right, bottom-right, bottom-left) of the paper, or None."""
    import numpy as np

    small = gray.copy()
    small.thumbnail((400, 400))
    arr = np.asarray(small, dtype=np.float32)
    threshold = _otsu(arr)
    mask = arr > threshold
    if mask.mean() < _MIN_PAGE_SHARE or mask.mean() > 0.97:
        return None  # no distinct bright page, or the page fills the frame already
    mask = _opened(mask)
    ys, xs = np.nonzero(mask)
    if len(xs) < _MIN_PAGE_SHARE * mask.size:
        return None
    s, d = xs + ys, xs - ys
    corners = [
        (xs[s.argmin()], ys[s.argmin()]),
        (xs[d.argmax()], ys[d.argmax()]),
        (xs[s.argmax()], ys[s.argmax()]),
        (xs[d.argmin()], ys[d.argmin()]),
    ]
    scale = gray.width / small.width
    return [(float(x) * scale, float(y) * scale) for x, y in corners]


def _otsu(arr: Any) -> float:
    import numpy as np

    hist, edges = np.histogram(arr, bins=64, range=(0, 255))
    weights = hist.astype(np.float64)
    centres = (edges[:-1] + edges[1:]) / 2
    total = weights.sum()
    best, best_t = -1.0, 128.0
    w0 = m0 = 0.0
    mean_all = (weights * centres).sum()
    for i in range(len(weights) - 1):
        w0 += weights[i]
        m0 += weights[i] * centres[i]
        w1 = total - w0
        if w0 == 0 or w1 == 0:
            continue
        between = w0 * w1 * (m0 / w0 - (mean_all - m0) / w1) ** 2
        if between > best:
            best, best_t = between, edges[i + 1]
    return float(best_t)


def _opened(mask: Any) -> Any:
    """The mask without bright specks and thin lines (a morphological opening)."""
    import numpy as np
    from PIL import Image, ImageFilter

    image = Image.fromarray((mask * 255).astype(np.uint8))
    opened = image.filter(ImageFilter.MinFilter(7)).filter(ImageFilter.MaxFilter(7))
    return np.asarray(opened) > 127


def _unwarp(gray: Any, quad: list[tuple[float, float]]) -> Any:
    """Map the page's quadrilateral onto an upright rectangle."""
    import numpy as np
    from PIL import Image

    (tlx, tly), (trx, try_), (brx, bry), (blx, bly) = quad
    width = round(max(np.hypot(trx - tlx, try_ - tly), np.hypot(brx - blx, bry - bly)))
    height = round(max(np.hypot(blx - tlx, bly - tly), np.hypot(brx - trx, bry - try_)))
    if width < 100 or height < 100:
        return gray
    target = [(0, 0), (width, 0), (width, height), (0, height)]
    rows = []
    rhs = []
    for (x, y), (u, v) in zip(target, quad, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend([u, v])
    coeffs = np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64))
    return gray.transform(
        (width, height),
        Image.Transform.PERSPECTIVE,
        tuple(coeffs),
        resample=Image.Resampling.BILINEAR,
        fillcolor=255,
    )


def even_light(gray: Any) -> Any:
    """Divide by the paper's local brightness (shadows, a lamp's gradient) and stretch."""
    import numpy as np
    from PIL import Image, ImageFilter

    small = gray.resize((max(1, gray.width // 16), max(1, gray.height // 16)))
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(2))
    background = np.asarray(paper.resize(gray.size, resample=Image.Resampling.BILINEAR))
    arr = np.asarray(gray, dtype=np.float32)
    level = np.clip(arr / np.maximum(background.astype(np.float32), 1.0), 0.0, 1.0)
    return Image.fromarray((level * 255).astype(np.uint8))
