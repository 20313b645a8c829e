"""The simulator: realistic Party-group records with injected violations and the exact truth about them.

``simulate`` writes a world (one file per table of the records format), ``truth.csv`` and ``meta.json``;
``build_demo`` makes the demo store. See ``docs/simulator.md``.
"""

from simulations.demo import build_demo
from simulations.simulator import SimulationResult, simulate

__all__ = ["SimulationResult", "build_demo", "simulate"]
