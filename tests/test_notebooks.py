"""Every notebook in notebooks/ runs top to bottom without an error (on real MNIST where the
notebook needs it)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.mnist_local import mnist_local_folder

nbformat = pytest.importorskip(
    "nbformat", reason="notebook tests need nbformat (pip install -e '.[dev]')"
)
nbclient = pytest.importorskip(
    "nbclient", reason="notebook tests need nbclient (pip install -e '.[dev]')"
)
pytest.importorskip("ipykernel", reason="notebook tests need ipykernel (pip install -e '.[dev]')")
pytest.importorskip("matplotlib", reason="the notebooks plot with matplotlib")

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def mnist_is_local() -> bool:
    """True when MNIST can be loaded without a download (the loader's own lookup)."""
    return mnist_local_folder() is not None


# What a notebook teaches, read from the variables it sets (a cell appended to the run prints
# them as JSON): its text must stay true of its own figures and numbers.
TAUGHT = {
    "02_tensor_operations": ["numpy_vs_methods_max_diff", "numpy_output_is_tensor"],
    "03_gradient_descent": ["plain_zigzags", "momentum_zigzags", "plain_losses", "momentum_losses"],
    "06_micrograd_in_tensors": ["neuron_grads", "train_accuracy", "losses"],
}


def check_taught(name: str, taught: dict) -> None:
    if name == "02_tensor_operations":
        # numpy's own functions on Tensors record a graph and give the methods' gradients exactly.
        assert taught["numpy_output_is_tensor"] is True
        assert taught["numpy_vs_methods_max_diff"] == 0
    if name == "03_gradient_descent":
        # Plain SGD zig-zags across the valley; momentum barely swings and ends lower.
        assert taught["plain_zigzags"] >= 20 and taught["momentum_zigzags"] <= 3
        assert taught["momentum_losses"][-1] < taught["plain_losses"][-1] / 10
    if name == "06_micrograd_in_tensors":
        # The neuron by hand: the chain rule written out equals what backward() left.
        for by_hand, from_backward in taught["neuron_grads"]:
            assert abs(by_hand - from_backward) < 1e-4
        assert taught["train_accuracy"] >= 0.95
        assert taught["losses"][-1] < taught["losses"][0] / 4


def taught_cell(names: list[str]):
    values = f"{{n: _np.asarray(globals()[n]).tolist() for n in {names!r}}}"
    code = f"import json as _json, numpy as _np\nprint('TAUGHT' + _json.dumps({values}))"
    return nbformat.v4.new_code_cell(code)


def test_notebooks_are_present() -> None:
    assert [path.name[:2] for path in NOTEBOOKS] == ["01", "02", "03", "04", "05", "06"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notebook = nbformat.read(path, as_version=4)
    text = path.read_text()
    if "mnist.load_data()" in text and not mnist_is_local():
        pytest.skip("MNIST is not available offline: set CHAINRULE_DATA to a folder with mnist/")
    if "draw(" in text and shutil.which("dot") is None:
        pytest.skip("the notebook draws graphs: install Graphviz's dot (apt-get install graphviz)")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws images
    client = nbclient.NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    if path.stem in TAUGHT:
        notebook.cells.append(taught_cell(TAUGHT[path.stem]))
    client.execute()  # raises CellExecutionError naming the failing cell
    if path.stem in TAUGHT:
        printed = "".join(output.get("text", "") for output in notebook.cells[-1].outputs)
        check_taught(path.stem, json.loads(printed.split("TAUGHT", 1)[1]))
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors
    # The run left real output, not just silence: every notebook shows at least one picture.
    kinds = {
        key
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        for key in output.get("data", {})
    }
    assert kinds & {"image/png", "image/svg+xml"}
