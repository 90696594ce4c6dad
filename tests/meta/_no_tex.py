"""A pytest plugin (``-p tests.meta._no_tex``) that makes this machine look like one without TeX."""

import shutil

_which = shutil.which
TEX_TOOLS = {"pdflatex", "latexmk", "pdftotext", "lualatex", "xelatex"}


def _no_tex_which(cmd, *args, **kwargs):
    return None if str(cmd) in TEX_TOOLS else _which(cmd, *args, **kwargs)


shutil.which = _no_tex_which
