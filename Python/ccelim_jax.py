"""Hand a JAX function to ccelim: its jaxpr text, its closed-over constants and its inputs.

A jaxpr names the arrays a function closes over (``jnp.array([...])`` written inside it, a weight
matrix captured from outside) but does not print their values, and ``ccelim jacobian`` and
``ccelim codegen`` need them. ``export`` writes all three files::

    import jax, jax.numpy as jnp
    from ccelim_jax import export           # PYTHONPATH=Python, or copy this file

    W = jnp.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    def f(x):
        return jnp.tanh(W @ x).sum()

    export(f, jnp.ones(2), path="f.jaxpr")  # f.jaxpr, f.constants.json, f.inputs.json

    # ccelim optimize f.jaxpr --json > order.json
    # ccelim jacobian f.jaxpr --order order.json --constants f.constants.json --inputs f.inputs.json

Only jax and numpy are needed. The order of the constants is ccelim's (Docs/COST_MODEL.md §1):
the jaxpr's own, then, equation by equation, the jaxprs in its parameters taken in the order of
the parameters' names, depth first, each with its own constants first.
"""

import json
import math

import numpy as np

__all__ = ["constants", "export"]


def constants(closed):
    """The values of every closed-over constant of ``closed`` (what ``jax.make_jaxpr(f)(*xs)``
    returns), nested bodies included, as numpy arrays in ccelim's order."""
    values = []
    _walk(closed.jaxpr, closed.consts, values)
    return values


def export(f, *args, path):
    """Writes ``path`` (the jaxpr of ``f`` at ``args``), and beside it ``STEM.inputs.json`` (the
    arguments, one nested array per array argument in the order jax flattens them) and, when ``f``
    closes over arrays, ``STEM.constants.json``; returns the paths written."""
    import jax

    closed = jax.make_jaxpr(f)(*args)
    stem = path[: -len(".jaxpr")] if path.endswith(".jaxpr") else path
    written = {"jaxpr": path, "inputs": stem + ".inputs.json"}
    with open(path, "w") as out:
        out.write(str(closed) + "\n")
    _write_json(written["inputs"], [np.asarray(a) for a in jax.tree_util.tree_leaves(args)])
    values = constants(closed)
    if values:
        written["constants"] = stem + ".constants.json"
        _write_json(written["constants"], values)
    return written


def _walk(jaxpr, consts, values):
    if len(consts) != len(jaxpr.constvars):
        raise ValueError(f"a jaxpr names {len(jaxpr.constvars)} constants but holds {len(consts)} values")
    values.extend(np.asarray(c) for c in consts)
    for eqn in jaxpr.eqns:
        for key in sorted(eqn.params):
            for body, body_consts in _bodies(eqn.params[key], eqn, key):
                _walk(body, body_consts, values)


def _bodies(value, eqn, key):
    """The jaxprs a parameter holds, with their constants' values: a closed jaxpr, an open one
    (which has no values to give), or a tuple of them (cond's branches, custom_linear_solve's
    named tuple, whose None fields are skipped)."""
    if hasattr(value, "jaxpr") and hasattr(value, "consts"):
        return [(value.jaxpr, list(value.consts))]
    if hasattr(value, "eqns") and hasattr(value, "constvars"):
        if value.constvars:
            raise ValueError(f"{eqn.primitive}'s {key} names constants whose values it does not hold")
        return [(value, [])]
    if isinstance(value, (tuple, list)):
        found = []
        for item in value:
            if item is not None:
                found.extend(_bodies(item, eqn, key))
        return found
    return []


def _write_json(path, arrays):
    with open(path, "w") as out:
        json.dump([_plain(a.tolist()) for a in arrays], out)
        out.write("\n")


def _plain(value):
    """Nested lists with NaN and infinities as the strings ccelim reads (JSON has no such numbers)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value
