"""Parse `.gos` text into an `ast.Spec`, reporting every syntax error of the file at once.

The grammar (`gos.lark`, loaded from the `gocheck.grammar` package) is compiled once per
process into an LALR(1) parser with lark's contextual lexer and the `GoSemicolons`
postlexer. This module drives that parser token by token: it sets comments aside for
`fmt`, and on a syntax error it records a diagnostic, blanks the broken region of the text
and parses again.

Why recovering that way is safe (no error is reported that only the first one caused):
- Blanking replaces characters by spaces and keeps every newline, so each later token keeps
  its line and column, and the second parse reports positions in the original text.
- A *statement line* is blanked alone: a line inside a function or machine block that
  starts where a statement may start (the line before ends a statement or opens a block),
  ends a statement, has balanced brackets, and does not begin a compound statement or a
  select case. Such a line holds whole simple statements only; an empty statement is
  allowed wherever a statement is, so the enclosing blocks parse as before.
- Otherwise the whole top-level item is blanked, up to the next line that starts a
  top-level item at column 1 (where `fmt` puts them). Top-level items do not nest, so
  the parse resumes exactly where a fresh file would.
At most `MAX_SYNTAX_ERRORS` are reported; a file that bad has a bigger problem.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_interactive_parser import InteractiveParser

from gocheck.errors import Diagnostic, InputError, SpecError
from gocheck.lang import ast, codes
from gocheck.lang.build import build
from gocheck.lang.semicolons import COMMENT, NL, SEMI, GoSemicolons

MAX_SYNTAX_ERRORS = 20
MAX_DEPTH = 200

_TOP_LINE = re.compile(r"^(?:func|var|machine|check|invariant)\b", re.MULTILINE)
_NOT_CODE = re.compile(r'"(?:[^"\\\n]|\\.)*"|//[^\n]*|/\*[\s\S]*?\*/')
_COMPOUND_HEAD = re.compile(r"^\s*(?:for|select|case|default|func|go\s+func)\b|^\s*[{}]")
_ENDS_STMT = re.compile(r"(?:[\w)\]}\"]|\+\+)\s*$")
_OPENS = re.compile(r"[{:;]\s*$")
_PAIRS = {")": "(", "]": "[", "}": "{"}


@functools.cache
def _lark() -> Lark:
    """The compiled grammar, built on first use and shared by every parse."""
    grammar = resources.files("gocheck.grammar").joinpath("gos.lark").read_text("utf-8")
    return Lark(grammar, parser="lalr", lexer="contextual", propagate_positions=True,
                maybe_placeholders=True, postlex=GoSemicolons())


# --- reading files ------------------------------------------------------------------------


def read_source(path: str) -> str:
    """The text of a spec file, or an `InputError` that says in words why there is none."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"cannot read {path}: it is a directory, not a spec file")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"cannot read {path}: not UTF-8 text "
                         f"(byte 0x{data[err.start]:02x} at offset {err.start})") from None
    return text.removeprefix("\ufeff")


def parse_file(path: str) -> ast.Spec:
    """Read and parse one spec file."""
    return parse(read_source(path), path)


# --- parsing ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Failure:
    """Where one parse attempt stopped, and what the driver knew at that point."""

    diagnostic: Diagnostic
    offset: int          # of the offending character in the text
    at_end: bool         # the file ended too early
    item_start: int | None
    item_keyword: str | None
    depth: int           # brace depth at the error


@dataclass(frozen=True, slots=True)
class _Attempt:
    tree: Tree | None
    comments: list[Token]
    failure: _Failure | None


def parse(text: str, path: str = "<spec>") -> ast.Spec:
    """The AST of `text`; raises `SpecError` carrying every syntax error found."""
    if not text.strip():
        raise SpecError([Diagnostic(path, ast.Span(1, 1, 1, 1),
                                    "empty spec: a spec needs at least `func main() { }`",
                                    codes.EMPTY)])
    diagnostics: list[Diagnostic] = []
    current = text
    attempt = _attempt(current, path)
    while attempt.failure is not None:
        diagnostics.append(attempt.failure.diagnostic)
        start, end = _recovery_range(current, attempt.failure)
        blanked = current[:start] + re.sub(r"[^\n]", " ", current[start:end]) + current[end:]
        if len(diagnostics) >= MAX_SYNTAX_ERRORS or blanked == current:
            break
        current = blanked
        attempt = _attempt(current, path)
    if attempt.tree is not None:
        too_deep = _too_deep(attempt.tree, path)
        if too_deep is not None:
            diagnostics.append(too_deep)
        else:
            spec, shape = build(attempt.tree, attempt.comments, path)
            diagnostics.extend(shape)
            if not diagnostics:
                return spec
    raise SpecError(sorted(diagnostics, key=lambda d: (d.span.line, d.span.col, d.code)))


def _too_deep(tree: Tree, path: str) -> Diagnostic | None:
    """A diagnostic at the first node nested deeper than `MAX_DEPTH`, if there is one.

    Building the AST, checking and formatting recurse over the tree; this walk does not, so
    a pathological spec gets an error instead of a RecursionError.
    """
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            m = node.meta
            return Diagnostic(path, ast.Span(m.line, m.column, m.end_line, m.end_column),
                              f"nested more than {MAX_DEPTH} levels deep (blocks, or operators "
                              "in an expression): split it up", codes.TOO_DEEP)
        stack.extend((c, depth + 1) for c in reversed(node.children) if isinstance(c, Tree))
    return None


def _attempt(text: str, path: str) -> _Attempt:
    """One LALR parse of `text`, fed token by token so comments and positions are ours."""
    ip = _lark().parse_interactive(text)
    comments: list[Token] = []
    depth = 0
    item_start: int | None = None
    item_keyword: str | None = None
    last: Token | None = None
    try:
        for tok in ip.lexer_thread.lex(ip.parser_state):
            if tok.type == COMMENT:
                comments.append(tok)
                continue
            if depth == 0 and item_start is None and tok.type != SEMI:
                item_start, item_keyword = tok.start_pos, tok.value
            if tok.type != SEMI:
                last = tok
            ip.feed_token(tok)
            if tok.value == "{":
                depth += 1
            elif tok.value == "}":
                depth -= 1
            elif depth == 0 and tok.type == SEMI:
                item_start = item_keyword = None
        end = (Token("$END", "", last.end_pos, last.end_line, last.end_column)
               if last is not None else Token("$END", "", 0, 1, 1))
        tree = ip.feed_token(end)
    except UnexpectedInput as err:
        diagnostic, offset = _syntax_diagnostic(err, ip, text, path)
        if item_start is None:
            item_start, item_keyword = offset, None
        at_end = diagnostic.code == codes.UNEXPECTED_EOF
        return _Attempt(None, comments, _Failure(diagnostic, offset, at_end, item_start,
                                                 item_keyword, depth))
    return _Attempt(tree, comments, None)


# --- error messages -----------------------------------------------------------------------


_NAMED = {"NAME": "a name", "INT": "an integer", "STRING": "a string", "$END": "end of file",
          SEMI: "newline"}


def _words(*words: str) -> frozenset[str]:
    return frozenset(f"'{w}'" for w in words)


# Long alternatives read better as what they start: (shown when all of, absorbs, as).
_GROUPS = (
    (_words("work", "go", "for"),
     _words("work", "spin", "syscall", "netread", "time", "runtime", "go", "close", "return",
            "for", "select", "<-") | {"a name"}, "a statement"),
    (_words("func", "machine"), _words("machine", "var", "func", "check", "invariant"),
     "a declaration (func, var, machine, check or invariant)"),
    (_words("!", "(") | {"an integer"}, _words("!", "(", "-") | {"an integer", "a name"},
     "an expression"),
    (_words("-") | {"an integer"}, _words("-") | {"an integer"}, "an integer"),
)


def _describe_expected(terminals: set[str]) -> str:
    """What the parser would have accepted, in words, grouped where a list would be long."""
    pattern = _lark().get_terminal
    shown = {_NAMED.get(t) or f"'{pattern(t).pattern.value}'"
             for t in terminals - {NL, COMMENT}}
    parts: list[str] = []
    for trigger, members, label in _GROUPS:
        if trigger <= shown:
            parts.append(label)
            shown -= members
    parts += sorted(shown, key=lambda p: (not p[0].isalpha(), p))
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]


def _describe_token(tok: Token) -> str:
    if tok.type == "$END" or (tok.type == SEMI and tok.value == ""):
        return "end of file"
    if tok.type == SEMI:
        return "newline" if tok.value == "\n" else "';'"
    if tok.type == "NAME":
        return f"name '{tok.value}'"
    if tok.type == "INT":
        return f"integer {tok.value}"
    if tok.type == "STRING":
        return f"string {tok.value}"
    return f"'{tok.value}'"


def _syntax_diagnostic(err: UnexpectedInput, ip: InteractiveParser, text: str,
                       path: str) -> tuple[Diagnostic, int]:
    if isinstance(err, UnexpectedCharacters):
        offset = err.pos_in_stream
        rest = text[offset:offset + 2]
        if rest.startswith('"'):
            message = "string not terminated"
        elif rest == "/*":
            message = "comment not terminated"
        else:
            message = f"unexpected character {text[offset]!r}"
        span = ast.Span(err.line, err.column, err.line, err.column + 1)
        return Diagnostic(path, span, message, codes.BAD_CHARACTER), offset
    assert isinstance(err, UnexpectedToken)
    tok = err.token
    state = err.state if err.state is not None else ip.parser_state
    expected = InteractiveParser(ip.parser, state, ip.lexer_thread).accepts() or err.expected
    message = f"unexpected {_describe_token(tok)}, expected {_describe_expected(expected)}"
    at_end = tok.type == "$END" or (tok.type == SEMI and tok.value == "")
    width = max(1, tok.end_column - tok.column) if tok.end_line == tok.line else 1
    span = ast.Span(tok.line, tok.column, tok.line, tok.column + width)
    code = codes.UNEXPECTED_EOF if at_end else codes.UNEXPECTED_TOKEN
    return Diagnostic(path, span, message, code), tok.start_pos


# --- recovery -----------------------------------------------------------------------------


def _recovery_range(text: str, failure: _Failure) -> tuple[int, int]:
    """The characters to blank so that the next parse starts clean (see the module doc)."""
    code = _NOT_CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    line_start = code.rfind("\n", 0, failure.offset) + 1
    line_end = code.find("\n", failure.offset)
    line_end = len(code) if line_end == -1 else line_end
    if (failure.depth > 0 and failure.item_keyword in ("func", "machine")
            and not failure.at_end
            and _is_statement_line(code, line_start, line_end)):
        return line_start, line_end
    start = min(failure.item_start if failure.item_start is not None else line_start,
                line_start)
    for m in _TOP_LINE.finditer(code, line_start):
        if m.start() > start:
            return start, m.start()
    return start, len(text)


def _is_statement_line(code: str, start: int, end: int) -> bool:
    line = code[start:end]
    if not line.strip() or _COMPOUND_HEAD.match(line) or not _ENDS_STMT.search(line):
        return False
    stack: list[str] = []
    for ch in line:
        if ch in "([{":
            stack.append(ch)
        elif ch in _PAIRS and (not stack or stack.pop() != _PAIRS[ch]):
            return False
    if stack:
        return False
    before = code[:start].rstrip()
    return not before or bool(_OPENS.search(before) or _ENDS_STMT.search(before))
