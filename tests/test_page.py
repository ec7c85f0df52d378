"""save_backprop_page: one self-contained HTML page, walked in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import autograd
import nn
from autograd import Tensor

pytestmark = pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="the page's pictures need Graphviz's dot (apt-get install graphviz)",
)


def small_expression() -> tuple[Tensor, list[Tensor]]:
    """Notebook 04's ``L = (a * b + c) * f``."""
    a, b, c, f = (
        Tensor(value, requires_grad=True, name=name)
        for value, name in ((2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f"))
    )
    return (a * b + c) * f, [a, b, c, f]


def dense_layer() -> tuple[Tensor, list[Tensor]]:
    """A 2x3 weight used twice (so a gradient accumulates) and a broadcast bias."""
    rng = np.random.default_rng(1)
    x = Tensor(rng.normal(size=(4, 3)).astype("float32"), name="x")
    w = Tensor(rng.normal(size=(3, 2)).astype("float32"), requires_grad=True, name="w")
    bias = Tensor(np.array([0.5, -0.5], dtype="float32"), requires_grad=True, name="bias")
    hidden = (x @ w + bias).relu()
    return (hidden * (x @ w)).mean(), [w, bias]


def mnist_step() -> tuple[Tensor, list[Tensor]]:
    """One training step of the seed's network (784-512-10, batch 128), on random pixels."""
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
    rng = np.random.default_rng(0)
    images = Tensor(rng.random((128, 784), dtype=np.float32))
    labels = rng.integers(0, 10, size=128)
    return nn.functional.cross_entropy(model(images), labels), list(model.parameters())


GRAPHS = [small_expression, dense_layer, mnist_step]


def reference_grads(build: Callable) -> list[np.ndarray]:
    loss, leaves = build()
    loss.backward()
    return [leaf.grad.numpy() for leaf in leaves]


def leaf_grads(text: str) -> dict[str, str]:
    """The last frame's gradients by leaf name: a "<name>  <shape> <dtype>" line, then
    "  grad <numbers>" (a matrix's rows continue on the more indented lines below)."""
    found: dict[str, str] = {}
    name = ""
    for line in text.split("\n")[1:]:
        if line.startswith("  grad"):
            found[name] = line.removeprefix("  grad").strip()
        elif line.startswith("    "):
            found[name] += " " + line.strip()
        else:
            name = line.split("  ")[0]
    return found


def unnumbered(text: str) -> str:
    return re.sub(r"\b(linear|re_lu)_\d+", r"\1", text)


def numbers(text: str) -> list[float]:
    return [float(match) for match in re.findall(r"-?\d+\.?\d*(?:e[-+]?\d+)?", text)]


@pytest.mark.parametrize("build", GRAPHS, ids=[build.__name__ for build in GRAPHS])
def test_page_leaves_the_gradients_backward_leaves(build: Callable, tmp_path: Path) -> None:
    expected = reference_grads(build)
    loss, leaves = build()
    autograd.save_backprop_page(loss, tmp_path / "page.html")
    for leaf, grad in zip(leaves, expected):
        np.testing.assert_array_equal(leaf.grad.numpy(), grad)


def test_page_frames_are_forward_then_backward_then_done(tmp_path: Path) -> None:
    loss, _ = small_expression()
    text = autograd.save_backprop_page(loss, tmp_path / "page.html").read_text()
    phases = re.findall(r'<section class="frame" data-phase="(\w+)"', text)
    # 3 ops: the inputs, 3 forward frames, 3 backward steps, the finished picture
    assert phases == ["forward"] * 4 + ["backward"] * 3 + ["done"]
    titles = re.findall(r"<h2>([^<]*)</h2>", text)
    assert [title.split(":")[1].strip() for title in titles[1:4]] == ["mul", "add", "mul"]
    assert "<script src" not in text and "http://" not in text.replace(
        "http://www.w3.org", ""
    )  # self-contained: nothing is fetched


def test_mnist_step_page_is_grouped_summarised_and_small(tmp_path: Path) -> None:
    loss, _ = mnist_step()
    path = autograd.save_backprop_page(loss, tmp_path / "page.html")
    text = path.read_text()
    assert path.stat().st_size < 400_000  # about 290 kB: 4 ops, 10 frames, 10 pictures
    # Layers are clusters named after them (names count up across the process: linear_3...).
    assert len(set(re.findall(r"<title>cluster_(linear\w*)</title>", text))) == 2
    assert len(set(re.findall(r"linear\w*\.weight", text))) == 2
    assert "(512, 784) float32" in text  # PyTorch layout (out, in)
    # The 401,408 weights are a summary, not numbers: no list in any frame holds more than
    # SMALL (36) values; the 10 biases of the last layer are written out in full.
    lists = re.findall(r"\[[^a-z]*?\]", " ".join(re.findall(r"<pre>(.*?)</pre>", text, re.S)))
    assert max(len(numbers(values)) for values in lists) == 10
    assert "(512, 784) float32  sent mean " in text


def test_failed_page_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("the old page")
    loss, _ = small_expression()
    loss.backward()  # the graph is consumed: tracing it again fails
    with pytest.raises(RuntimeError):
        autograd.save_backprop_page(loss, target)
    assert target.read_text() == "the old page"
    assert [path.name for path in tmp_path.iterdir()] == ["page.html"]
    with pytest.raises(ValueError, match="no graph"):
        autograd.save_backprop_page(Tensor(1.0, requires_grad=True), tmp_path / "other.html")
    assert not (tmp_path / "other.html").exists()


STATE = """(() => {
  const visible = (items) => Array.from(items).filter((item) => !item.hidden);
  const sections = visible(document.querySelectorAll("section.frame"));
  const pictures = visible(document.querySelectorAll("div.picture"));
  const all = Array.from(document.querySelectorAll("section.frame"));
  return {
    frame: Number(document.body.dataset.frame),
    sections: sections.map((section) => all.indexOf(section)),
    pictures: pictures.length,
    phase: sections.length ? sections[0].dataset.phase : "",
    text: sections.length ? sections[0].querySelector("pre").textContent : "",
    current: pictures.length ? pictures[0].querySelectorAll("g.node.current").length : 0,
    future: pictures.length ? pictures[0].querySelectorAll("g.node.future").length : 0,
    red: pictures.length ? pictures[0].querySelectorAll('g.node [stroke="red"]').length : 0,
    slider: document.getElementById("slider").valueAsNumber,
  };
})()"""


def check_last_frame(text: str, leaves: list[Tensor], expected: list[np.ndarray]) -> None:
    shown = leaf_grads(text)
    assert len(shown) == len(leaves)
    for leaf, grad in zip(leaves, expected):
        values = numbers(shown[leaf.name])
        if grad.size <= autograd.page.FULL_VALUES:
            np.testing.assert_allclose(values, grad.ravel(), rtol=1e-5, atol=1e-7)
        else:  # norm, mean, min, max
            wide = grad.astype(np.float64)
            summary = [np.sqrt(np.sum(wide**2)), wide.mean(), wide.min(), wide.max()]
            np.testing.assert_allclose(values, summary, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("build", GRAPHS, ids=[build.__name__ for build in GRAPHS])
def test_page_walks_every_frame_in_headless_chromium(build: Callable, tmp_path: Path) -> None:
    pytest.importorskip("websocket", reason="the browser test needs websocket-client (dev extra)")
    from tests.chromium import Browser, find_browser

    if find_browser() is None:
        pytest.skip("no headless Chromium: apt-get install chromium")
    expected = reference_grads(build)
    loss, leaves = build()
    path = autograd.save_backprop_page(loss, tmp_path / "page.html")
    with Browser() as page:
        page.open(path.resolve().as_uri())
        total = page.evaluate('document.querySelectorAll("section.frame").length')
        state = page.evaluate(STATE)
        assert (state["frame"], state["sections"], state["pictures"]) == (0, [0], 1)
        assert state["current"] == 0 and state["future"] > 0  # only the inputs are known
        states = [state]
        for index in range(1, total):
            page.press("ArrowRight", 39)
            state = page.evaluate(STATE)
            assert (state["frame"], state["sections"], state["slider"]) == (index, [index], index)
            assert state["pictures"] == 1
            states.append(state)
        forward = [state for state in states[1:] if state["phase"] == "forward"]
        backward = [state for state in states if state["phase"] == "backward"]
        assert len(forward) == len(backward) == (total - 2) // 2 >= 1
        assert all(state["current"] >= 1 for state in forward)  # the node running now
        futures = [state["future"] for state in states if state["phase"] == "forward"]
        assert futures == sorted(futures, reverse=True) and futures[-1] == 0  # node by node
        assert len(set(futures)) == len(futures)
        # Beside each backward picture: the stepper's own text for that step (layer names
        # count up with each model built, "linear_3" then "linear_5": compared without).
        replay, _ = build()
        texts = [repr(step) for step in autograd.trace_backward(replay)]
        assert [unnumbered(state["text"]) for state in backward] == list(map(unnumbered, texts))
        assert all(state["red"] >= 1 for state in backward)
        assert states[-1]["phase"] == "done"
        check_last_frame(states[-1]["text"], leaves, expected)
        page.press("ArrowRight", 39)  # past the end: stays on the last frame
        assert page.evaluate(STATE)["frame"] == total - 1
        page.press("Home", 36)
        page.click("#next")
        assert page.evaluate(STATE)["frame"] == 1
        page.click("#prev")
        page.press("ArrowLeft", 37)
        assert page.evaluate(STATE)["frame"] == 0
        assert page.errors() == []


def test_example_page_in_docs_is_current(tmp_path: Path) -> None:
    """The README links docs/backprop_small.html: its text must be what the code makes today."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    committed = root / "docs" / "backprop_small.html"
    assert "(docs/backprop_small.html)" in (root / "README.md").read_text()
    spec = importlib.util.spec_from_file_location(
        "backprop_page", root / "examples" / "backprop_page.py"
    )
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    fresh = example.main(tmp_path / "page.html")
    texts = [re.findall(r"<h2>.*?</pre>", path.read_text(), re.S) for path in (committed, fresh)]
    assert texts[0] == texts[1], (
        "docs/backprop_small.html is stale: python examples/backprop_page.py"
    )


def test_forward_frames_show_the_values_appearing_node_by_node(tmp_path: Path) -> None:
    loss, _ = small_expression()
    text = autograd.save_backprop_page(loss, tmp_path / "page.html").read_text()
    sections = re.findall(
        r'<section class="frame" data-phase="forward" (.*?)</section>', text, re.S
    )
    pictures = [re.search(r'data-picture="(picture-\d+)"', section)[1] for section in sections]
    assert len(set(pictures)) == len(pictures) == 4  # one picture per forward frame
    svgs = [re.search(rf'id="{picture}" hidden>(.*?)</div>', text, re.S)[1] for picture in pictures]
    shown = [re.findall(r">value (-?[\d.]+)</text>", svg.replace("&#45;", "-")) for svg in svgs]
    # a, b, c, f are known from the start; then e = a * b = -6, d = e + c = 4, L = d * f = -8.
    assert [sorted(values, key=float) for values in shown] == [
        ["-3", "-2", "2", "10"],
        ["-6", "-3", "-2", "2", "10"],
        ["-6", "-3", "-2", "2", "4", "10"],
        ["-8", "-6", "-3", "-2", "2", "4", "10"],
    ]
    values = [re.findall(r"value +(-?\d+)", section) for section in sections[1:]]
    assert values == [["-6"], ["4"], ["-8"]]  # and each forward frame's text says it
