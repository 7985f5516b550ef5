"""One explicit Euler step of rigid quadrotor dynamics: ZYX Euler angles, body rates, thrust and torques."""
import jax.numpy as jnp

DOMAIN = "robotics"
SPLIT = "heldout"
# roll, pitch, yaw, p, q, r, vx, vy, vz, thrust, tau_x, tau_y, tau_z, dt
INPUTS = [((), -0.3, 0.3)] * 3 + [((), -0.5, 0.5)] * 3 + [((), -1.0, 1.0)] * 3 + [((), 9.0, 11.0)] + [((), -0.1, 0.1)] * 3 + [((), 0.01, 0.02)]

MASS, IXX, IYY, IZZ = 1.2, 0.012, 0.012, 0.02


def fn(phi, theta, psi, p, q, r, vx, vy, vz, thrust, tx, ty, tz, dt):
    cf, sf, ct, st, cp, sp = jnp.cos(phi), jnp.sin(phi), jnp.cos(theta), jnp.sin(theta), jnp.cos(psi), jnp.sin(psi)
    # Thrust along the body z axis, rotated into the world frame (third column of R = Rz Ry Rx).
    zx = cp * st * cf + sp * sf
    zy = sp * st * cf - cp * sf
    zz = ct * cf
    ax, ay, az = thrust * zx / MASS, thrust * zy / MASS, thrust * zz / MASS - 9.81
    # Euler-angle rates from body rates.
    tt = st / ct
    dphi = p + (q * sf + r * cf) * tt
    dtheta = q * cf - r * sf
    dpsi = (q * sf + r * cf) / ct
    # Euler's equations for a diagonal inertia.
    dp = (tx + (IYY - IZZ) * q * r) / IXX
    dq = (ty + (IZZ - IXX) * p * r) / IYY
    dr = (tz + (IXX - IYY) * p * q) / IZZ
    return (phi + dt * dphi, theta + dt * dtheta, psi + dt * dpsi, p + dt * dp, q + dt * dq, r + dt * dr,
            vx + dt * ax, vy + dt * ay, vz + dt * az)
