"""The names the spec language gives meaning to: properties, observables, reserved words.

language.md is the source; this is its one copy in code, for the checker and the model.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# `check NAME`: the property library.
PROPERTIES: tuple[str, ...] = (
    "fork_join", "no_deadlock", "no_fatal", "work_conserving", "strict_work_conserving",
    "syscall_handoff", "starvation_free", "terminates", "spinning_p_empty", "idle_p_empty",
    "no_scheduler_livelock", "timer_conserving",
)

# Observables an invariant reads by name.
INT_OBSERVABLES: tuple[str, ...] = (
    "procs_idle", "procs_running", "procs_syscall", "runnable", "running", "waiting",
    "in_syscall", "spinning", "threads", "needspinning",
)
BOOL_OBSERVABLES: tuple[str, ...] = ("main_done",)
# Observables read through a function: len(globalq), len(runq[i]), done(f), and the per-P
# flags runnext(i) and spinning(i) (0/1).
QUEUES: tuple[str, ...] = ("globalq", "runq")
PER_P_FLAGS: tuple[str, ...] = ("runnext", "spinning")
OBSERVABLE_FUNCS: tuple[str, ...] = ("len", "done", *PER_P_FLAGS)

# Sent values that are literals although they look like names.
VALUE_WORDS: frozenset[str] = frozenset({"true", "false", "nil"})

GO_KEYWORDS: frozenset[str] = frozenset({
    "break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
    "for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range",
    "return", "select", "struct", "switch", "type", "var",
})

# Words a function, variable or loop variable may not be called: Go's keywords, the words
# that start a builtin statement, and the values that look like names. (`done`, `len`,
# `sync` stay free: `done <- 1` is how Go programs are written.)
RESERVED: frozenset[str] = GO_KEYWORDS | VALUE_WORDS | {
    "work", "spin", "syscall", "netread", "close", "time", "runtime",
}


def did_you_mean(word: str, candidates: Iterable[str]) -> tuple[str, ...]:
    """A note naming the closest candidate, if one is close enough to be a typo."""
    match = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.6)
    return (f"did you mean `{match[0]}`?",) if match else ()
