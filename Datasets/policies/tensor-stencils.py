#!/usr/bin/env python3
"""Tensor stencil programs as jaxpr text (train only; issue 14, generalist3): periodic rolls
(slice + concatenate) on N x M grids, explicit steps of diffusion, upwind advection and a
two-field reaction-diffusion, in the layout jax.make_jaxpr prints (no JAX needed). gen6 adds two
1-D kinds with zero (Dirichlet) padding instead of rolls (concatenate of x[:1]·0, x, x[:1]·0):
`dirichlet`, explicit steps of diffusion with a cubic reaction term, and `chain`, velocity-Verlet
steps of a chain of masses with linear + cubic neighbour forces (state x and v)."""
import sys

class P:
    def __init__(self):
        self.n = 0; self.lines = []
    def name(self):
        k = self.n; self.n += 1; s = ""
        while True:
            s = chr(97 + k % 26) + s; k = k // 26 - 1
            if k < 0: break
        return s if len(s) == 1 else s  # jax style: a..z, ba.. (close enough: letters only)
    def eq(self, shape, rhs):
        v = self.name(); t = "f32[%s]" % ",".join(map(str, shape)) if shape else "f32[]"
        self.lines.append(f"    {v}:{t} = {rhs}"); return v

def roll(p, x, shape, shift, axis):
    """jnp.roll(x, shift, axis) for shift ±1: two slices and a concatenate."""
    d = len(shape); n = shape[axis]
    def sl(a, b):
        lim = list(shape); st = [0] * d; lim[axis] = b; st[axis] = a
        sh = list(shape); sh[axis] = b - a
        strides = "(" + ", ".join("1" for _ in range(d)) + ("," if d == 1 else "") + ")"
        fmt = lambda t: "(" + ", ".join(map(str, t)) + ("," if d == 1 else "") + ")"
        return p.eq(sh, f"slice[limit_indices={fmt(lim)} start_indices={fmt(st)} strides={strides}] {x}")
    if shift == 1:
        a = sl(n - 1, n); b = sl(0, n - 1)
    else:
        a = sl(1, n); b = sl(0, 1)
    return p.eq(shape, f"concatenate[dimension={axis}] {a} {b}")

def laplacian(p, u, shape):
    acc = None
    for axis in range(len(shape)):
        for s in (1, -1):
            r = roll(p, u, shape, s, axis)
            acc = r if acc is None else p.eq(shape, f"add {acc} {r}")
    c = p.eq(shape, f"mul {2.0 * len(shape)} {u}")
    return p.eq(shape, f"sub {acc} {c}")

def padded_differences(p, x, n):
    """Zero-pads x (f32[n]) on both sides and returns its right and left differences, f32[n] each."""
    sl = lambda v, a, b: p.eq([b - a], f"slice[limit_indices=({b},) start_indices=({a},) strides=None] {v}")
    z1 = p.eq([1], f"mul {sl(x, 0, 1)} 0.0"); z2 = p.eq([1], f"mul {sl(x, 0, 1)} 0.0")
    q = p.eq([n + 2], f"concatenate[dimension=0] {z1} {x} {z2}")
    left = p.eq([n], f"sub {sl(q, 1, n + 1)} {sl(q, 0, n)}")
    right = p.eq([n], f"sub {sl(q, 2, n + 2)} {sl(q, 1, n + 1)}")
    return right, left

def padded_program(kind, n, steps):
    p = P()
    if kind == "dirichlet":
        u, s = p.name(), p.name(); header = f"{u}:f32[{n}] {s}:f32[]"
        for _ in range(steps):
            r, l = padded_differences(p, u, n)
            lap = p.eq([n], f"sub {r} {l}"); k = p.eq([n], f"mul {s} {lap}")
            c = p.eq([n], f"integer_pow[y=3] {u}"); c2 = p.eq([n], f"mul 0.05 {c}")
            u1 = p.eq([n], f"add {u} {k}"); u = p.eq([n], f"sub {u1} {c2}")
        outs = [u]
    else:  # chain: velocity Verlet, force k (r - l) + 0.5 (r^3 - l^3)
        x, v, k, dt = p.name(), p.name(), p.name(), p.name()
        header = f"{x}:f32[{n}] {v}:f32[{n}] {k}:f32[] {dt}:f32[]"
        def force(x):
            r, l = padded_differences(p, x, n)
            lin = p.eq([n], f"mul {k} {p.eq([n], f'sub {r} {l}')}")
            r3 = p.eq([n], f"integer_pow[y=3] {r}"); l3 = p.eq([n], f"integer_pow[y=3] {l}")
            cub = p.eq([n], f"mul 0.5 {p.eq([n], f'sub {r3} {l3}')}")
            return p.eq([n], f"add {lin} {cub}")
        a = force(x)
        for _ in range(steps):
            h = p.eq([], f"mul 0.5 {dt}"); v = p.eq([n], f"add {v} {p.eq([n], f'mul {h} {a}')}")
            x = p.eq([n], f"add {x} {p.eq([n], f'mul {dt} {v}')}")
            a = force(x)
            h = p.eq([], f"mul 0.5 {dt}"); v = p.eq([n], f"add {v} {p.eq([n], f'mul {h} {a}')}")
        outs = [x, v]
    body = "\n".join(p.lines)
    return "{ lambda ; " + header + ". let\n" + body + "\n  in (" + ", ".join(outs) + ",) }\n"

def program(kind, shape, steps):
    if kind in ("dirichlet", "chain"):
        assert len(shape) == 1, "the padded kinds are 1-D"
        return padded_program(kind, shape[0], steps)
    p = P(); ins = []
    fields = 2 if kind == "rd" else 1
    us = [p.name() for _ in range(fields)]; s = p.name()
    t = "f32[%s]" % ",".join(map(str, shape))
    header = " ".join(f"{u}:{t}" for u in us) + f" {s}:f32[]"
    for _ in range(steps):
        if kind == "diffusion":
            (u,) = us
            l = laplacian(p, u, shape); k = p.eq(shape, f"mul {s} {l}"); us = [p.eq(shape, f"add {u} {k}")]
        elif kind == "advection":
            (u,) = us; acc = u
            for axis in range(len(shape)):
                r = roll(p, u, shape, 1, axis); d = p.eq(shape, f"sub {u} {r}")
                k = p.eq(shape, f"mul {s} {d}"); acc = p.eq(shape, f"sub {acc} {k}")
            us = [acc]
        else:  # two-field reaction-diffusion (Gray-Scott-like)
            u, v = us
            lu = laplacian(p, u, shape); lv = laplacian(p, v, shape)
            vv = p.eq(shape, f"mul {v} {v}"); uvv = p.eq(shape, f"mul {u} {vv}")
            a = p.eq(shape, f"mul {s} {lu}"); b = p.eq(shape, f"mul 0.5 {lv}")
            b2 = p.eq(shape, f"mul {s} {b}")
            f1 = p.eq(shape, f"sub 1.0 {u}"); f2 = p.eq(shape, f"mul 0.04 {f1}")
            u1 = p.eq(shape, f"add {u} {a}"); u2 = p.eq(shape, f"sub {u1} {uvv}"); u3 = p.eq(shape, f"add {u2} {f2}")
            g = p.eq(shape, f"mul 0.1 {v}")
            v1 = p.eq(shape, f"add {v} {b2}"); v2 = p.eq(shape, f"add {v1} {uvv}"); v3 = p.eq(shape, f"sub {v2} {g}")
            us = [u3, v3]
    body = "\n".join(p.lines)
    return "{ lambda ; " + header + ". let\n" + body + "\n  in (" + ", ".join(us) + ",) }\n"

if __name__ == "__main__":
    kind, dims, steps, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    open(out, "w").write(program(kind, [int(x) for x in dims.split("x")], steps))
