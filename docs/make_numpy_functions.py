"""Write docs/numpy_functions.md from the numpy dispatch table (autograd/numpy_protocol.py).

python docs/make_numpy_functions.py
"""

from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograd import numpy_protocol  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs" / "numpy_functions.md").write_text(numpy_protocol.markdown())
