"""Fresh scalar programs for session 39, written before any bound was run on them; running this
file (JAX 0.4.38, Ops/python-requirements.txt) writes NAME.jaxpr for each into the current directory."""
import jax, jax.numpy as jnp

def sir_rk2(s, i, r, beta, gamma, dt):
    # four midpoint steps of the SIR epidemic model
    for _ in range(4):
        n = s + i + r
        ds, di = -beta * s * i / n, beta * s * i / n - gamma * i
        dr = gamma * i
        sm, im, rm = s + 0.5 * dt * ds, i + 0.5 * dt * di, r + 0.5 * dt * dr
        nm = sm + im + rm
        ds2, di2 = -beta * sm * im / nm, beta * sm * im / nm - gamma * im
        s, i, r = s + dt * ds2, i + dt * di2, r + dt * gamma * im
    return s, i, r

def three_link_fk(q1, q2, q3, l1, l2, l3):
    # planar three-link arm: end-effector pose and the elbow and wrist positions
    a1 = q1; a2 = q1 + q2; a3 = a2 + q3
    x1, y1 = l1 * jnp.cos(a1), l1 * jnp.sin(a1)
    x2, y2 = x1 + l2 * jnp.cos(a2), y1 + l2 * jnp.sin(a2)
    x3, y3 = x2 + l3 * jnp.cos(a3), y2 + l3 * jnp.sin(a3)
    reach = jnp.sqrt(x3 * x3 + y3 * y3)
    return x2, y2, x3, y3, a3, reach

def van_der_waals_mix(x1, t, v, a1, a2, b1, b2, k12):
    # van der Waals mixture: pressure, compressibility and a residual Helmholtz term
    x2 = 1.0 - x1
    a12 = (1.0 - k12) * jnp.sqrt(a1 * a2)
    am = x1 * x1 * a1 + 2.0 * x1 * x2 * a12 + x2 * x2 * a2
    bm = x1 * b1 + x2 * b2
    rgas = 8.314
    p = rgas * t / (v - bm) - am / (v * v)
    z = p * v / (rgas * t)
    ares = -rgas * t * jnp.log(1.0 - bm / v) - am / v
    dpdv = -rgas * t / ((v - bm) * (v - bm)) + 2.0 * am / (v * v * v)
    return p, z, ares, dpdv

def bicycle_predict(x, y, th, v, steer, acc, dt, wb):
    # kinematic bicycle model, four Euler steps
    for _ in range(4):
        beta = jnp.arctan(0.5 * jnp.tan(steer))
        x = x + dt * v * jnp.cos(th + beta)
        y = y + dt * v * jnp.sin(th + beta)
        th = th + dt * v / wb * jnp.sin(beta) * 2.0
        v = v + dt * acc
    return x, y, th, v

def logistic_loss6(w0, w1, w2, b, x00, x01, x02, x10, x11, x12, y0, y1):
    # two-sample logistic regression loss with an L2 term, and the predicted probabilities
    z0 = w0 * x00 + w1 * x01 + w2 * x02 + b
    z1 = w0 * x10 + w1 * x11 + w2 * x12 + b
    p0 = 1.0 / (1.0 + jnp.exp(-z0)); p1 = 1.0 / (1.0 + jnp.exp(-z1))
    loss = -(y0 * jnp.log(p0) + (1.0 - y0) * jnp.log(1.0 - p0)) - (y1 * jnp.log(p1) + (1.0 - y1) * jnp.log(1.0 - p1))
    reg = 0.01 * (w0 * w0 + w1 * w1 + w2 * w2)
    return loss + reg, p0, p1

def kepler_orbit(a, e, m0, n, t):
    # mean anomaly to position: four Newton steps on Kepler's equation
    m = m0 + n * t
    ea = m
    for _ in range(9):
        ea = ea - (ea - e * jnp.sin(ea) - m) / (1.0 - e * jnp.cos(ea))
    x = a * (jnp.cos(ea) - e)
    y = a * jnp.sqrt(1.0 - e * e) * jnp.sin(ea)
    r = a * (1.0 - e * jnp.cos(ea))
    return x, y, r

def brusselator_heun3(u, v, a, b, dt):
    # three Heun steps of the Brusselator
    for _ in range(3):
        fu = a + u * u * v - (b + 1.0) * u
        fv = b * u - u * u * v
        u1, v1 = u + dt * fu, v + dt * fv
        gu = a + u1 * u1 * v1 - (b + 1.0) * u1
        gv = b * u1 - u1 * u1 * v1
        u, v = u + 0.5 * dt * (fu + gu), v + 0.5 * dt * (fv + gv)
    return u, v

def stereo_triangulate(ul, vl, ur, f, base, cx, cy, roll, pitch):
    # stereo depth, a point in camera frame, rotated by roll and pitch
    d = ul - ur
    zc = f * base / d
    xc = (ul - cx) * zc / f
    yc = (vl - cy) * zc / f
    cr, sr, cp, sp = jnp.cos(roll), jnp.sin(roll), jnp.cos(pitch), jnp.sin(pitch)
    y1 = cr * yc - sr * zc; z1 = sr * yc + cr * zc
    x2 = cp * xc + sp * z1; z2 = -sp * xc + cp * z1
    rng = jnp.sqrt(x2 * x2 + y1 * y1 + z2 * z2)
    return x2, y1, z2, rng

def damped_spring2_verlet(x1, x2, v1, v2, k1, k2, c, m, dt):
    # two masses on springs with damping, four velocity-Verlet steps
    def acc(x1, x2, v1, v2):
        f1 = -k1 * x1 + k2 * (x2 - x1) - c * v1
        f2 = -k2 * (x2 - x1) - c * v2
        return f1 / m, f2 / m
    a1, a2 = acc(x1, x2, v1, v2)
    for _ in range(4):
        x1 = x1 + dt * v1 + 0.5 * dt * dt * a1
        x2 = x2 + dt * v2 + 0.5 * dt * dt * a2
        b1, b2 = acc(x1, x2, v1, v2)
        v1 = v1 + 0.5 * dt * (a1 + b1)
        v2 = v2 + 0.5 * dt * (a2 + b2)
        a1, a2 = acc(x1, x2, v1, v2)
    return x1, x2, v1, v2

def six_link_fk(q1, q2, q3, q4, q5, q6, l):
    # planar six-link arm with equal links: every joint's position and the reach
    a = 0.0; x = 0.0; y = 0.0; out = []
    for q in (q1, q2, q3, q4, q5, q6):
        a = a + q
        x = x + l * jnp.cos(a); y = y + l * jnp.sin(a)
        out += [x, y]
    return tuple(out) + (jnp.sqrt(x * x + y * y),)

def logistic_loss4(w0, w1, w2, b, x00, x01, x02, x10, x11, x12, x20, x21, x22, x30, x31, x32):
    # four-sample logistic regression loss (labels 1, 0, 1, 0) with an L2 term
    loss = 0.0
    for k, (u0, u1, u2) in enumerate(((x00, x01, x02), (x10, x11, x12), (x20, x21, x22), (x30, x31, x32))):
        z = w0 * u0 + w1 * u1 + w2 * u2 + b
        p = 1.0 / (1.0 + jnp.exp(-z))
        loss = loss - (jnp.log(p) if k % 2 == 0 else jnp.log(1.0 - p))
    return loss + 0.01 * (w0 * w0 + w1 * w1 + w2 * w2),

PROGRAMS = [six_link_fk, logistic_loss4, sir_rk2, three_link_fk, van_der_waals_mix, bicycle_predict, logistic_loss6, kepler_orbit,
            brusselator_heun3, stereo_triangulate, damped_spring2_verlet]
import inspect
for f in PROGRAMS:
    n = len(inspect.signature(f).parameters)
    args = [jnp.float32(0.3 + 0.1 * k) for k in range(n)]
    open(f.__name__ + ".jaxpr", "w").write(str(jax.make_jaxpr(f)(*args)) + "\n")
