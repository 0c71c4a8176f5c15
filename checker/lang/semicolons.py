"""Go's semicolon insertion, as a lark postlexer.

The grammar ends every statement with `_SEMI`. Go's rule decides which newlines are one: a
newline ends a statement when the token before it is a name (keywords of the spec language
such as `work` are names in Go), a literal, `return`, `)`, `]`, `}` or `++`. A `/* */`
comment that spans lines counts as a newline, and the end of the file ends a statement too.
Comments pass through untouched (the parser collects them for `fmt`); the decision looks
through them at the last real token.
"""

from __future__ import annotations

from collections.abc import Iterator

from lark import Token
from lark.lark import PostLex

from gocheck.lang.vocabulary import GO_KEYWORDS

# After these Go keywords a newline does not end a statement (after break, continue,
# fallthrough and return it does).
_OPEN_KEYWORDS = GO_KEYWORDS - {"break", "continue", "fallthrough", "return"}
_CLOSERS = frozenset({")", "]", "}", "++"})

SEMI = "_SEMI"
NL = "NL"
COMMENT = "COMMENT"


def ends_statement(tok: Token) -> bool:
    """Whether a newline after `tok` ends a statement (Go spec, "Semicolons")."""
    first = tok.value[:1]
    if first.isalpha() or first == "_":
        return tok.value not in _OPEN_KEYWORDS
    return first.isdigit() or first == '"' or tok.value in _CLOSERS


def _semi_at(tok: Token, value: str) -> Token:
    """A one-character `_SEMI` at the start of `tok` (a newline or a comment)."""
    return Token(SEMI, value, tok.start_pos, tok.line, tok.column,
                 tok.line, tok.column + 1, tok.start_pos + 1)


def _semi_after(tok: Token) -> Token:
    """The `_SEMI` the end of the file inserts; its empty text says "end of file"."""
    return Token(SEMI, "", tok.end_pos, tok.end_line, tok.end_column,
                 tok.end_line, tok.end_column, tok.end_pos)


class GoSemicolons(PostLex):
    """Turns significant newlines into `_SEMI` and drops the others.

    All state lives in the generator, so one instance serves every parse (and thread).
    """

    always_accept = (NL, COMMENT)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        last: Token | None = None
        for tok in stream:
            if tok.type == COMMENT:
                yield tok
                if not (tok.value.startswith("/*") and "\n" in tok.value):
                    continue
            elif tok.type != NL:
                last = tok
                yield tok
                continue
            if last is not None and ends_statement(last):
                yield _semi_at(tok, "\n")
            last = None
        if last is not None and ends_statement(last):
            yield _semi_after(last)
