"""Writes rk4_lorenz.jaxpr: a real JAX program of about 10,000 equations for ccelim's import test.

Classical RK4 on the Lorenz system, unrolled in Python (no lax.scan, so every step's equations are
printed), with the state and the three parameters as scalar inputs. Run with JAX 0.4.38:

    python3 Tests/Fixtures/large/rk4_lorenz.py > Tests/Fixtures/large/rk4_lorenz.jaxpr
"""
import jax
import jax.numpy as jnp

STEPS = 150
H = 0.01


def lorenz(x, y, z, sigma, rho, beta):
    return sigma * (y - x), x * (rho - z) - y, x * y - beta * z


def rk4(x, y, z, sigma, rho, beta):
    for _ in range(STEPS):
        k1 = lorenz(x, y, z, sigma, rho, beta)
        k2 = lorenz(x + H / 2 * k1[0], y + H / 2 * k1[1], z + H / 2 * k1[2], sigma, rho, beta)
        k3 = lorenz(x + H / 2 * k2[0], y + H / 2 * k2[1], z + H / 2 * k2[2], sigma, rho, beta)
        k4 = lorenz(x + H * k3[0], y + H * k3[1], z + H * k3[2], sigma, rho, beta)
        x = x + H / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        y = y + H / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        z = z + H / 6 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2])
    return x, y, z


if __name__ == "__main__":
    args = [jnp.float32(v) for v in (1.0, 1.0, 1.0, 10.0, 28.0, 8.0 / 3.0)]
    print(jax.make_jaxpr(rk4)(*args))
