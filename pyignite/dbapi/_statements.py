"""What kind of statement a piece of SQL is, and how ``executemany`` batches inserts.

The server's reply to a DML statement is an ordinary one-row, one-column result (the update
count), shaped like the reply to ``SELECT COUNT(*)``, and the Calcite engine does not check
the statement type a request asks for; so the kind is read from the statement's first
keyword.
"""
import re
from typing import List, Optional, Tuple

QUERY, DML, OTHER = 'query', 'dml', 'other'

_DML = frozenset({'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'})
_QUERY = frozenset({'SELECT', 'WITH', 'VALUES', 'TABLE', 'EXPLAIN', 'SHOW', 'CALL'})
_WORD = re.compile(r'[A-Za-z_]+')


def _skip_blank(sql: str, pos: int) -> int:
    """The position past whitespace, comments and opening parentheses at ``pos``."""
    n = len(sql)
    while pos < n:
        ch = sql[pos]
        if ch.isspace() or ch == '(':
            pos += 1
        elif sql.startswith('--', pos):
            end = sql.find('\n', pos)
            pos = n if end < 0 else end + 1
        elif sql.startswith('/*', pos):
            end = sql.find('*/', pos + 2)
            pos = n if end < 0 else end + 2
        else:
            break
    return pos


def kind(sql: str) -> str:
    """:return: :data:`QUERY` (a result set), :data:`DML` (an update count) or
     :data:`OTHER` (DDL and the rest: neither)."""
    match = _WORD.match(sql, _skip_blank(sql, 0))
    word = match.group(0).upper() if match else ''
    if word in _QUERY:
        return QUERY
    if word in _DML:
        return DML
    return OTHER


def _tokens(sql: str) -> List[Tuple[int, str]]:
    """The positions and texts of the SQL's top-level-relevant tokens: words,
    parentheses and ``?``, with literals, quoted names and comments left out."""
    out: List[Tuple[int, str]] = []
    pos, n = 0, len(sql)
    while pos < n:
        ch = sql[pos]
        if ch in '\'"`':
            end = pos + 1
            while True:
                end = sql.find(ch, end)
                if end < 0:
                    return []  # unterminated: leave the statement alone
                if sql.startswith(ch * 2, end):
                    end += 2
                    continue
                break
            out.append((pos, 'literal'))
            pos = end + 1
        elif sql.startswith('--', pos) or sql.startswith('/*', pos):
            end = sql.find('\n' if ch == '-' else '*/', pos + 2)
            pos = n if end < 0 else end + (1 if ch == '-' else 2)
        elif ch in '()?;':
            out.append((pos, ch))
            pos += 1
        else:
            match = _WORD.match(sql, pos)
            if match is None:
                pos += 1
            else:
                out.append((pos, match.group(0).upper()))
                pos = match.end()
    return out


def values_template(sql: str) -> Optional[Tuple[str, str, int]]:
    """Split ``INSERT|MERGE INTO ... VALUES (?, ...)`` into the text before the row, the
    row, and its number of parameters, when the row is the statement's last part and
    holds every parameter: such a statement can take many rows at once.

    :return: ``(head, row, parameters)`` or None.
    """
    if kind(sql) != DML:
        return None
    tokens = _tokens(sql)
    if not tokens or tokens[0][1] not in ('INSERT', 'MERGE'):
        return None
    while tokens and tokens[-1][1] == ';':
        tokens.pop()
    # the last top-level VALUES keyword, followed by one parenthesized row up to the end
    depth = 0
    values_at = -1
    for i, (_, text) in enumerate(tokens):
        if text == '(':
            depth += 1
        elif text == ')':
            depth -= 1
        elif text == 'VALUES' and depth == 0:
            values_at = i
    if values_at < 0 or values_at + 1 >= len(tokens) or tokens[values_at + 1][1] != '(':
        return None
    depth = 0
    for i in range(values_at + 1, len(tokens)):
        text = tokens[i][1]
        depth += (text == '(') - (text == ')')
        if depth == 0:
            if i != len(tokens) - 1:
                return None  # something follows the row (ON CONFLICT, a second row...)
            break
    else:
        return None
    start, end = tokens[values_at + 1][0], tokens[-1][0] + 1
    inside = sum(1 for pos, text in tokens if text == '?' and start < pos < end)
    total = sum(1 for _, text in tokens if text == '?')
    if inside != total or not total:
        return None
    return sql[:start], sql[start:end], total
