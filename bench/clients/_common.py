"""What the three client modules share: the workload registry and result checks."""
from typing import Callable, Dict

Step = Callable[[], object]
Factory = Callable[[int, dict], Step]


class NotAvailable(Exception):
    """The client cannot run this workload (a module is missing, a feature is off...)."""


class WrongResult(Exception):
    """A client returned something other than the data the benchmark stored."""


def registry() -> Dict[str, Factory]:
    """A fresh name -> factory dict and its decorator, for one client module."""
    return {}


def workload(table: Dict[str, Factory], name: str):
    """Register ``func(units, env) -> step`` as the factory of workload ``name``.

    ``units`` is the size of one iteration (entries, rows...), ``env`` tells where the
    nodes are. The factory does the setup and checks one result; ``step()`` then runs one
    iteration.
    """
    def deco(func: Factory) -> Factory:
        table[name] = func
        return func
    return deco


def expect(what: str, got, want) -> None:
    """Raise :class:`WrongResult` unless ``got == want``."""
    if got != want:
        g, w = repr(got), repr(want)
        raise WrongResult(f'{what}: got {g[:200]}, expected {w[:200]}')
