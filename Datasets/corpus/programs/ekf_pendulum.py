"""Extended Kalman filter step for a pendulum (angle, rate) observed through the bob's horizontal position."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "heldout"
# angle, rate, P11, P12, P22, g/l, dt, process noise, measurement noise, measurement
INPUTS = [((), -0.5, 0.5), ((), -0.5, 0.5), ((), 0.05, 0.1), ((), 0.0, 0.02), ((), 0.05, 0.1), ((), 9.0, 10.5),
          ((), 0.01, 0.02), ((), 0.001, 0.01), ((), 0.01, 0.05), ((), -0.3, 0.3)]


def fn(th, om, p11, p12, p22, g, dt, q, rn, z):
    # Predict: th' = th + dt om, om' = om - dt g sin th; F = [[1, dt], [-dt g cos th, 1]].
    f21 = -dt * g * jnp.cos(th)
    th_p = th + dt * om
    om_p = om - dt * g * jnp.sin(th)
    a11 = p11 + dt * p12
    a12 = p12 + dt * p22
    a21 = f21 * p11 + p12
    a22 = f21 * p12 + p22
    q11 = a11 + dt * a12
    q12 = a11 * f21 + a12
    q22 = a21 * f21 + a22 + q
    q11 = q11 + 0.25 * dt * dt * q
    # Update with h(th) = sin th, H = [cos th, 0].
    h = jnp.cos(th_p)
    s = h * h * q11 + rn
    k1 = q11 * h / s
    k2 = q12 * h / s
    innov = z - jnp.sin(th_p)
    th_n = th_p + k1 * innov
    om_n = om_p + k2 * innov
    n11 = (1.0 - k1 * h) * q11
    n12 = (1.0 - k1 * h) * q12
    n22 = q22 - k2 * h * q12
    return th_n, om_n, n11, n12, n22
