"""Find a font that draws Chinese in matplotlib figures.

matplotlib ships only DejaVu Sans, which has no Chinese glyphs: without a CJK font every
Chinese label of a figure is drawn as empty boxes ("tofu"), with a ``Glyph … missing from
font(s) DejaVu Sans`` warning. :func:`find_cjk_font` looks for one, in this order:

1. the font file named by the environment variable ``GOVTEXT_CJK_FONT`` (a ``.ttf``, ``.otf``
   or ``.ttc`` path; a font family name matplotlib already knows is accepted too). When it is
   set, it is the only candidate: a wrong value is an error, not silently replaced;
2. the installed fonts matplotlib's ``font_manager`` knows, by family name, in the order of
   :data:`CJK_FAMILIES` (Noto Sans CJK / Source Han Sans, the Windows and macOS system fonts,
   WenQuanYi).

A candidate is accepted only if the face matplotlib actually resolves for it (for a ``.ttc``
collection, the face index it picks) has a glyph for every character of :data:`SAMPLE`.
When none is found, :class:`govtext.exceptions.MissingDependencyError` says how to install one
(``apt-get install fonts-wqy-microhei`` on Debian/Ubuntu; see the docs' how-to "Get a CJK
font").

Examples
--------
>>> from govtext._fonts import find_cjk_font, missing_glyphs
>>> font = find_cjk_font()
>>> font.name in CJK_FAMILIES, missing_glyphs(font, "政府信息公开工作年度报告")
(True, [])
>>> font.families[-1]  # what the CJK font lacks is drawn with matplotlib's own font
'DejaVu Sans'
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govtext.exceptions import MissingDependencyError

__all__ = [
    "CJK_FAMILIES",
    "ENV_VAR",
    "SAMPLE",
    "CJKFont",
    "find_cjk_font",
    "import_matplotlib",
    "missing_glyphs",
]

logger = logging.getLogger(__name__)

#: Environment variable naming a font file (or family) to use for Chinese text.
ENV_VAR = "GOVTEXT_CJK_FONT"

#: Family names tried, best first (sans-serif Simplified Chinese faces before the rest).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK TC",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
    "Heiti SC",
    "Heiti TC",
    "STHeiti",
    "SimHei",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
    "Arial Unicode MS",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
    "SimSun",
)

#: Characters a font must draw to be accepted: frequent characters of the reports and of the
#: figures' labels (section, topic and level names), plus digits and Latin letters.
SAMPLE = (
    "政府信息公开工作年度报告主动依申请收费复议诉讼问题改进措施总体情况其他事项"
    "乡镇街道县区市省部门中央及时性全面规范人员宣传解读平台监督机制办理通过未无法评估"
    "年份层级模板复制沿用自有份额相似度报告数段落"
    "0123456789ABCabc"
)

_INSTALL_HELP = (
    "Install a CJK font, for example: `apt-get install fonts-noto-cjk` or "
    "`apt-get install fonts-wqy-microhei` (Debian/Ubuntu), `dnf install google-noto-sans-cjk-fonts` "
    "(Fedora), `brew install --cask font-noto-sans-cjk-sc` (macOS; PingFang SC is usually "
    "already there), or download Noto Sans CJK SC from https://github.com/notofonts/noto-cjk and "
    f"set {ENV_VAR}=/path/to/NotoSansCJKsc-Regular.otf. matplotlib caches its font list: after "
    "installing a system font, delete the fontlist-*.json file in matplotlib.get_cachedir() if the "
    "font is still not found."
)


@dataclass(frozen=True)
class CJKFont:
    """A font matplotlib can use for Chinese text.

    Attributes
    ----------
    name : str
        The family name matplotlib knows it by (``"Noto Sans CJK SC"``).
    path : str
        The font file (a ``.ttc`` collection holds several faces).
    face_index : int
        The face of the collection matplotlib draws with (0 for single-face files).
    """

    name: str
    path: str
    face_index: int = 0

    @property
    def families(self) -> list[str]:
        """Font family list for matplotlib: this font, then DejaVu Sans for anything it lacks."""
        return [self.name, "DejaVu Sans"]


def import_matplotlib() -> Any:
    """Import matplotlib, or raise :class:`MissingDependencyError` naming the ``plot`` extra."""
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - matplotlib is a dependency
        msg = 'govtext.plot needs matplotlib: pip install "govtext[plot]"'
        raise MissingDependencyError(msg) from exc
    return matplotlib


def missing_glyphs(font: CJKFont, text: str = SAMPLE) -> list[str]:
    """Characters of ``text`` the font has no glyph for (sorted, unique; whitespace ignored).

    Parameters
    ----------
    font : CJKFont
    text : str, default :data:`SAMPLE`

    Returns
    -------
    list of str
    """
    import_matplotlib()
    from matplotlib import font_manager

    ft = _ft2font(font_manager, font.path, font.face_index)
    return sorted({c for c in text if not c.isspace() and ft.get_char_index(ord(c)) == 0})


def _ft2font(font_manager: Any, path: str, face_index: int) -> Any:
    font_path = getattr(font_manager, "FontPath", None)
    if font_path is not None:  # matplotlib >= 3.11 addresses faces of a collection
        return font_manager.get_font(font_path(path, face_index))
    return font_manager.get_font(path)  # pragma: no cover - older matplotlib: face 0


def _resolve(font_manager: Any, family: str) -> CJKFont | None:
    """The face matplotlib uses for ``family``, or None if it does not know the family."""
    try:
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return None
    path = str(getattr(found, "path", found))
    index = int(getattr(found, "face_index", 0))
    ft = _ft2font(font_manager, path, index)
    if ft.family_name.casefold() != family.casefold():
        # findfont matched another family (should not happen with fallback_to_default=False)
        return None
    return CJKFont(name=ft.family_name, path=path, face_index=index)


def _from_env(font_manager: Any, value: str) -> CJKFont:
    p = Path(value).expanduser()
    if p.is_file():
        try:
            font_manager.fontManager.addfont(str(p))
            ft = font_manager.get_font(str(p))
        except (OSError, RuntimeError, ValueError) as exc:
            msg = f"{ENV_VAR}={value!r} is not a font file matplotlib can read ({exc}). {_INSTALL_HELP}"
            raise MissingDependencyError(msg) from exc
        font = _resolve(font_manager, ft.family_name)
        if font is None or Path(font.path).resolve() != p.resolve():
            # another installed file has the same family name: use the given file (face 0)
            font = CJKFont(name=ft.family_name, path=str(p), face_index=0)
    elif p.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc") or os.sep in value or "/" in value:
        msg = f"{ENV_VAR}={value!r}: no such font file. {_INSTALL_HELP}"
        raise MissingDependencyError(msg)
    else:
        font = _resolve(font_manager, value)
        if font is None:
            msg = (f"{ENV_VAR}={value!r} is neither a font file nor a font family matplotlib knows. "
                   f"{_INSTALL_HELP}")
            raise MissingDependencyError(msg)
    missing = missing_glyphs(font)
    if missing:
        msg = (f"The font {font.name!r} ({font.path}) named by {ENV_VAR} has no glyph for "
               f"{''.join(missing[:20])!r}; it cannot draw Chinese. {_INSTALL_HELP}")
        raise MissingDependencyError(msg)
    return font


@functools.lru_cache(maxsize=8)
def _find(env_value: str | None, families: tuple[str, ...]) -> CJKFont:
    import_matplotlib()
    from matplotlib import font_manager

    if env_value:
        font = _from_env(font_manager, env_value)
        logger.debug("CJK font from %s: %s", ENV_VAR, font)
        return font
    for family in families:
        font = _resolve(font_manager, family)
        if font is None:
            continue
        missing = missing_glyphs(font)
        if missing:
            logger.debug("font %r lacks %d sample glyphs; skipped", family, len(missing))
            continue
        logger.debug("CJK font: %s", font)
        return font
    msg = f"No font that can draw Chinese was found for matplotlib figures. {_INSTALL_HELP}"
    raise MissingDependencyError(msg)


def find_cjk_font(*, families: tuple[str, ...] | None = None) -> CJKFont:
    """Find a font matplotlib can draw Chinese with.

    Parameters
    ----------
    families : tuple of str, optional
        Family names to try, best first (default :data:`CJK_FAMILIES`). Ignored when the
        environment variable ``GOVTEXT_CJK_FONT`` is set.

    Returns
    -------
    CJKFont

    Raises
    ------
    MissingDependencyError
        If no installed font can draw :data:`SAMPLE`, or ``GOVTEXT_CJK_FONT`` names an
        unusable font; the message says how to install one.
    """
    fams = CJK_FAMILIES if families is None else tuple(families)
    return _find(os.environ.get(ENV_VAR) or None, fams)
