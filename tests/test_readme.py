"""Every ```python block in README.md runs as written, each on its own (a reader pastes one
block, not the page), in a fresh namespace and a scratch folder.

Blocks that load MNIST skip without the data offline (CI points CHAINRULE_DATA at it) and are run
for one epoch instead of five: test_mnist_training.py is the one place the full training runs.
The epoch count is the only text changed, and the test fails if it is no longer found.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.mnist_local import mnist_local_folder

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), re.M | re.S)
ONE_EPOCH = {"epochs=5": "epochs=1", "range(5)": "range(1)"}


def first_line(block: str) -> str:
    code = [line for line in block.splitlines() if line and not line.startswith(("import", "from"))]
    return code[0][:40] if code else block.splitlines()[0]


def mnist_is_local() -> bool:
    """True when MNIST loads without a download (the loader's own lookup)."""
    return mnist_local_folder() is not None


def one_epoch(block: str) -> str:
    found = [old for old in ONE_EPOCH if old in block]
    assert len(found) == 1, "a README training block no longer says epochs=5 or range(5)"
    return block.replace(found[0], ONE_EPOCH[found[0]])


def test_readme_has_its_python_blocks() -> None:
    assert len(BLOCKS) >= 5  # Keras, PyTorch, the engine, seeing backprop, the page


@pytest.mark.parametrize("block", BLOCKS, ids=[first_line(block) for block in BLOCKS])
def test_readme_block_runs(block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if "mnist.load_data()" in block:
        if not mnist_is_local():
            pytest.skip(
                "MNIST is not available offline: set CHAINRULE_DATA to a folder with mnist/"
            )
        block = one_epoch(block)
    if re.search(r"\b(draw|render|save_backprop_page)\(", block) and not shutil.which("dot"):
        pytest.skip("the block draws graphs: install Graphviz's dot (apt-get install graphviz)")
    monkeypatch.chdir(tmp_path)  # pictures and pages the blocks write land here
    namespace: dict = {"__name__": "__readme__"}
    exec(compile(block, str(README), "exec"), namespace)
    # What the blocks promise, checked where they set it:
    if "test_acc" in namespace:
        assert namespace["test_acc"] > 0.9  # one epoch of the seed's network
    if "picture" in namespace:
        assert (tmp_path / "graph.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if "save_backprop_page(" in block:
        assert "<svg" in (tmp_path / "backprop.html").read_text()
