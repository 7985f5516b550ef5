"""Complementary filter of roll and pitch from five gyro and accelerometer samples."""
import jax.numpy as jnp

DOMAIN = "estimation"
SPLIT = "train"
# blend, dt, then per sample: gx, gy, ax, ay, az (five samples)
INPUTS = [((), 0.95, 0.99), ((), 0.005, 0.02)] + [((), -0.2, 0.2), ((), -0.2, 0.2), ((), -1.0, 1.0), ((), -1.0, 1.0), ((), 9.0, 10.0)] * 5


def fn(blend, dt, *samples):
    roll, pitch = 0.0, 0.0
    for i in range(5):
        gx, gy, ax, ay, az = samples[5 * i:5 * i + 5]
        acc_roll = jnp.arctan2(ay, az)
        acc_pitch = jnp.arctan2(-ax, jnp.sqrt(ay * ay + az * az))
        roll = blend * (roll + dt * gx) + (1.0 - blend) * acc_roll
        pitch = blend * (pitch + dt * gy) + (1.0 - blend) * acc_pitch
    return roll, pitch
