"""Graph pictures: autograd.draw and its DOT source, clusters, gradient summaries, rendering."""

from __future__ import annotations

import re
import shutil

import graphviz
import numpy as np
import pytest

import autograd
from autograd import Tensor, draw, linear, name_scope, relu, softmax_cross_entropy
from autograd.viz import GradSummary, GraphvizNotFound, render_svg


def nodes_of(source: str) -> dict[str, str]:
    """Node id -> its attribute text, for every node statement in the DOT source."""
    found = {}
    for line in source.splitlines():
        match = re.match(r"^\s*(\w+) \[(.*)\]$", line)
        if match and match.group(1) not in {"graph", "node", "edge"}:
            found[match.group(1)] = match.group(2)
    return found


def edges_of(source: str) -> list[tuple[str, str, str]]:
    """(tail, head, attributes) for every edge statement, duplicates kept."""
    edges = []
    for line in source.replace("\\\n", "").splitlines():
        match = re.match(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", line)
        if match:
            edges.append((match.group(1), match.group(2), match.group(3) or ""))
    return edges


def op_ids(source: str) -> list[str]:
    return [node for node in nodes_of(source) if re.fullmatch(r"op\d+", node)]


def cluster_body(source: str, scope: str) -> str:
    start = source.index(f"subgraph cluster_{scope} {{")
    return source[start : source.index("}\n", start)]


def two_layer_mlp(seed: int = 0, batch: int = 8) -> tuple[Tensor, list[Tensor]]:
    """A Dense(16, relu) -> Dense(10) network with softmax cross-entropy, scoped like layers."""
    rng = np.random.default_rng(seed)
    x = Tensor(rng.random((batch, 20), dtype=np.float32), name="x")
    labels = rng.integers(0, 10, batch)
    shapes = {
        "dense_1.kernel": (20, 16),
        "dense_1.bias": (16,),
        "dense_2.kernel": (16, 10),
        "dense_2.bias": (10,),
    }
    params = [
        Tensor(rng.normal(size=shape).astype(np.float32), requires_grad=True, name=name)
        for name, shape in shapes.items()
    ]
    with name_scope("dense_1"):
        hidden = relu(linear(x, params[0], params[1]))
    with name_scope("dense_2"):
        logits = linear(hidden, params[2], params[3])
    loss = softmax_cross_entropy(logits, labels)
    loss.name = "loss"
    return loss, params


# --- structure ------------------------------------------------------------------------------


def test_small_expression_has_one_node_per_op_and_per_tensor():
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="a")
    b = Tensor([4.0, 5.0, 6.0], requires_grad=True, name="b")
    source = draw((a * b).sum()).source
    nodes = nodes_of(source)
    assert sorted(nodes) == ["leaf0", "leaf1", "op0", "op1", "t0", "t1"]
    assert sorted(edges[:2] for edges in edges_of(source)) == sorted(
        [("op0", "t0"), ("t1", "op0"), ("op1", "t1"), ("leaf0", "op1"), ("leaf1", "op1")]
    )
    assert "label=sum" in nodes["op0"] and "label=mul" in nodes["op1"]


def test_ops_are_ellipses_and_tensors_are_records():
    a = Tensor([1.0, 2.0], requires_grad=True)
    nodes = nodes_of(draw(a.exp().sum()).source)
    assert all("shape=ellipse" in nodes[node] for node in ("op0", "op1"))
    assert all("record" in nodes[node] for node in ("t0", "t1", "leaf0"))


def test_tensor_used_twice_has_two_edges_into_the_op():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    edges = [edge[:2] for edge in edges_of(draw((a * a).sum()).source)]
    assert edges.count(("leaf0", "op1")) == 2


def test_tensor_labels_show_names_shapes_and_dtypes():
    w = Tensor(np.ones((2, 3), np.float32), requires_grad=True, name="w")
    loss = (w * 2).sum()
    loss.name = "loss"
    nodes = nodes_of(draw(loss, show_values=False).source)
    assert "{w|(2, 3) float32}" in nodes["leaf0"]
    assert "{loss|scalar float32}" in nodes["t0"]
    assert "{(2, 3) float32}" in nodes["t1"]


def test_input_without_grad_is_a_small_constant_node_from_input_meta():
    x = Tensor(np.zeros((128, 784), np.float32), name="x")  # the data batch: no grad
    w = Tensor(np.zeros((784, 10), np.float32), requires_grad=True)
    source = draw((x @ w).sum(), show_values=False).source
    constants = {node: attrs for node, attrs in nodes_of(source).items() if node.startswith("c")}
    assert list(constants) == ["c1_0"]
    assert "{x|(128, 784) float32}" in constants["c1_0"] and "style=dashed" in constants["c1_0"]
    assert ("c1_0", "op1") in [edge[:2] for edge in edges_of(source)]


def test_edge_is_marked_where_a_broadcast_was_summed_away():
    x = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    b = Tensor(np.ones(3, np.float32), requires_grad=True)
    edges = {edge[:2]: edge[2] for edge in edges_of(draw((x + b).sum()).source)}
    assert "sum over" in edges[("leaf1", "op1")] and "style=dashed" in edges[("leaf1", "op1")]
    assert "sum over" not in edges[("leaf0", "op1")]  # same shape as the output


def test_constant_that_broadcasts_is_not_marked_because_it_gets_no_gradient():
    x = Tensor(np.ones((4, 3), np.float32), requires_grad=True)
    edges = {edge[:2]: edge[2] for edge in edges_of(draw((x * 2.0).sum()).source)}
    assert "sum over" not in edges[("c1_1", "op1")]


def test_linear_bias_edge_is_marked_as_summed_over_the_batch():
    loss, _ = two_layer_mlp()
    source = draw(loss).source
    marked = [edge for edge in edges_of(source) if "sum over" in edge[2]]
    bias_ids = {n for n, attrs in nodes_of(source).items() if "bias|" in attrs}
    assert len(marked) == 2 and {edge[0] for edge in marked} == bias_ids


def test_layers_are_clusters_holding_their_ops_and_parameters():
    loss, _ = two_layer_mlp()
    source = draw(loss).source
    for layer, ops in (("dense_1", ["relu", "linear"]), ("dense_2", ["linear"])):
        body = cluster_body(source, layer)
        assert f"label={layer}" in body
        assert f"{layer}.kernel|" in body and f"{layer}.bias|" in body
        assert re.findall(r"label=(\w+) fillcolor=gray92", body) == ops
    assert source.count("subgraph cluster_") == 2
    assert "x|" not in cluster_body(source, "dense_1")  # the data batch is not part of a layer


def test_same_graph_built_twice_gives_identical_source():
    assert draw(two_layer_mlp()[0]).source == draw(two_layer_mlp()[0]).source


def test_lone_leaf_is_one_tensor_node():
    source = draw(Tensor([1.0], requires_grad=True, name="w")).source
    assert list(nodes_of(source)) == ["t0"] and edges_of(source) == []


# --- gradients and values -------------------------------------------------------------------


def test_gradient_summaries_are_absent_before_backward_and_present_after():
    loss, _ = two_layer_mlp()
    before = draw(loss).source
    loss.backward()
    after = draw(loss).source
    assert "|grad " not in before
    tensors = [n for n in nodes_of(after) if n.startswith(("t", "leaf"))]
    assert after.count("|grad ") == len(tensors) == 8


def test_leaf_grad_summary_matches_its_grad():
    a = Tensor([3.0, -4.0], requires_grad=True, name="a")
    loss = (a * 1.0).sum()
    loss.backward()
    leaf = nodes_of(draw(loss).source)["leaf0"]
    assert "|grad [1, 1]}" in leaf  # a.grad = [1, 1]
    a.grad = Tensor([3.0, -4.0])
    assert "|grad [3, -4]}" in nodes_of(draw(loss).source)["leaf0"]


def test_op_output_summary_comes_from_the_gradient_that_reached_the_node():
    a = Tensor([1.0, 2.0], requires_grad=True)
    loss = (a * 3.0).sum()
    loss.backward()
    nodes = nodes_of(draw(loss).source)
    assert "|grad 1}" in nodes["t0"] and "|grad [1, 1]}" in nodes["t1"]


def test_stale_leaf_grad_from_an_earlier_graph_is_not_shown_before_backward():
    a = Tensor([1.0, 2.0], requires_grad=True)
    (a * 2).sum().backward()
    fresh = (a * 3).sum()
    assert "|grad " not in draw(fresh).source


def test_show_grads_false_hides_summaries():
    loss, _ = two_layer_mlp()
    loss.backward()
    assert "|grad " not in draw(loss, show_grads=False).source


def test_nan_gradient_is_flagged_and_filled_red():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    y.backward(np.array([np.nan, 1.0], np.float32))
    leaf = nodes_of(draw(y).source)["leaf0"]
    assert "contains NaN!" in leaf and "#ff6b6b" in leaf
    assert GradSummary.of(np.array([np.inf, 1.0])).has_inf


def test_fill_gets_darker_as_the_gradient_norm_grows():
    fills = [GradSummary.of(np.array([norm])).colours()["fillcolor"] for norm in (1e-4, 1e-1, 10)]
    darkness = [sum(int(fill[i : i + 2], 16) for i in (1, 3, 5)) for fill in fills]
    assert darkness[0] > darkness[1] > darkness[2]


def test_values_are_shown_by_default_where_they_are_known():
    a = Tensor([1.0, 2.0], requires_grad=True, name="a")
    loss = (a * a).sum()
    assert "value" not in draw(loss, show_values=False).source
    nodes = nodes_of(draw(loss).source)
    assert "|value [1, 2]}" in nodes["leaf0"] and "|value 5}" in nodes["t0"]


def test_drawing_works_after_backward_released_the_arrays():
    loss, _ = two_layer_mlp()
    values_before = draw(loss, show_values=True).source.count("|value ")
    loss.backward()
    assert loss.grad_fn.released
    source = draw(loss, show_values=True).source
    assert source.count("|grad ") == 8
    assert source.count("|value ") < values_before  # released intermediates: no values


# --- big graphs -----------------------------------------------------------------------------


def test_graph_larger_than_max_nodes_is_cut_near_the_root_with_a_note():
    x = Tensor([1.0], requires_grad=True)
    y = x
    for _ in range(6):
        y = -y
    source = draw(y, max_nodes=4).source
    assert op_ids(source) == ["op0", "op1", "op2", "op3"]
    assert "… 2 more nodes not shown (max_nodes=4)" in nodes_of(source)["more"]
    assert ("more", "op3") in [edge[:2] for edge in edges_of(source)]
    assert "leaf0" not in source  # the leaf only feeds nodes that were cut


def test_chain_of_20000_ops_draws_500_nodes_without_hanging():
    y = Tensor([1.0], requires_grad=True)
    for _ in range(20_000):
        y = -y
    source = draw(y).source
    assert len(op_ids(source)) == 500
    assert "… 19,500 more nodes not shown (max_nodes=500)" in source


def test_op_with_more_inputs_than_max_nodes_is_cut_with_a_note():
    leaves = [Tensor([float(k)], requires_grad=True) for k in range(50)]
    source = draw(autograd.stack(leaves).sum(), max_nodes=10).source
    assert len([n for n in nodes_of(source) if n.startswith("leaf")]) == 10
    assert "… 40 more inputs not shown (max_nodes=10)" in nodes_of(source)["more_inputs"]
    assert [edge[:2] for edge in edges_of(source)].count(("more_inputs", "op1")) == 1


def test_max_nodes_below_one_is_rejected():
    with pytest.raises(ValueError, match="max_nodes"):
        draw((Tensor([1.0], requires_grad=True) * 2).sum(), max_nodes=0)


# --- rendering ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's `dot` program not installed")
def test_picture_renders_to_svg_and_shows_itself_in_jupyter():
    loss, _ = two_layer_mlp()
    loss.backward()
    picture = draw(loss)
    assert isinstance(picture, graphviz.Digraph)
    svg = render_svg(picture)
    assert "<svg" in svg and "dense_1.kernel" in svg
    assert "<svg" in picture._repr_mimebundle_()["image/svg+xml"]


def test_without_dot_source_works_and_rendering_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # graphviz looks `dot` up on PATH when rendering
    picture = draw((Tensor([1.0], requires_grad=True) * 2).sum())
    assert "digraph" in picture.source
    for render in (
        lambda: render_svg(picture),
        lambda: picture.pipe(format="png"),
        lambda: picture._repr_mimebundle_(),
        lambda: picture.render(tmp_path / "graph", format="svg"),
        lambda: render_svg(graphviz.Source(picture.source)),  # a plain graphviz object too
    ):
        with pytest.raises(GraphvizNotFound, match="apt-get install graphviz") as caught:
            render()
        assert isinstance(caught.value, graphviz.ExecutableNotFound)
        assert "brew install graphviz" in str(caught.value)
        assert "conda install graphviz" in str(caught.value)


def test_draw_is_exported_from_the_package():
    assert autograd.draw is draw and "draw" in autograd.__all__
