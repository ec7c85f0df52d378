"""Write the example "watch backprop" page, docs/backprop_small.html, for notebook 04's
expression ``L = (a * b + c) * f``; open the file in any browser (no server needed).

Run: ``python examples/backprop_page.py [output.html]`` (needs Graphviz's ``dot``).
"""

import sys
from pathlib import Path

import autograd
from autograd import Tensor

DEFAULT = Path(__file__).resolve().parent.parent / "docs" / "backprop_small.html"


def main(path: Path = DEFAULT) -> Path:
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(-3.0, requires_grad=True, name="b")
    c = Tensor(10.0, requires_grad=True, name="c")
    f = Tensor(-2.0, requires_grad=True, name="f")
    e = a * b
    e.name = "e"
    d = e + c
    d.name = "d"
    loss = d * f
    loss.name = "L"
    written = autograd.save_backprop_page(loss, path, title="Watch backprop: L = (a * b + c) * f")
    print(f"wrote {written} ({written.stat().st_size / 1000:.0f} kB); dL/da = {a.grad.item()}")
    return written


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
