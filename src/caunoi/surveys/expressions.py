"""A small, safe evaluator for the XLSForm expression subset Cầu Nối supports in `constraint` and
`relevant` (never Python's eval).

Grammar (XPath 1.0 as XLSForm writes it, cut down):

    expr    := or
    or      := and ("or" and)*
    and     := cmp ("and" cmp)*
    cmp     := sum (("=" | "!=" | "<" | "<=" | ">" | ">=") sum)?
    sum     := prod (("+" | "-") prod)*
    prod    := unary (("*" | "div" | "mod") unary)*
    unary   := "-" unary | atom
    atom    := number | 'string' | "string" | "." | ${name} | func "(" args ")" | "(" expr ")"

Functions: selected(a, 'x'), count-selected(a), string-length(a), not(a), true(), false(),
number(a), int(a), string(a), round(a, n), if(c, a, b), coalesce(a, b), concat(a, …); today()
is refused (answers are judged without a clock). In a choice_filter, a bare name is a column of the
choices sheet (`tinh = ${tinh}`: the choice's own "tinh" value). Anything else is refused when
the form is imported (`parse` raises ExpressionError naming what it did not understand).

Values: an unanswered question is "" (XPath's empty string); a select_multiple answer is a list of
choice names; numbers compare as numbers when both sides can be read as numbers.
"""

import re
from dataclasses import dataclass

FUNCTIONS = {
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
    "not": 1,
    "true": 0,
    "false": 0,
    "number": 1,
    "int": 1,
    "string": 1,
    "round": 2,
    "if": 3,
    "coalesce": 2,
    "concat": -1,  # any number
}

TOKEN = re.compile(
    r"""\s*(?:
    (?P<number>\d+(?:\.\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<ref>\$\{[A-Za-z_][A-Za-z0-9_.-]*\})
  | (?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
  | (?P<dot>\.(?![0-9]))
  | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
MAX_LENGTH = 1000


class ExpressionError(ValueError):
    """The expression is outside the supported subset; the message names what."""


@dataclass(frozen=True)
class Node:
    kind: str  # num, str, ref, dot, call, op, neg
    value: object = None
    args: tuple = ()


def tokenize(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError("expression too long")
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        # Every alternative of TOKEN is a named group: a match always names its kind.
        if not m or m.end() == pos or m.lastgroup is None:
            raise ExpressionError(text[pos:].strip()[:20])
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, tokens, *, columns: bool = False):
        self.tokens = tokens
        self.i = 0
        self.columns = columns

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if tok[0] is None or (value is not None and tok[1] != value):
            raise ExpressionError(value or "end of expression")
        self.i += 1
        return tok

    def parse(self):
        node = self.or_()
        if self.i != len(self.tokens):
            raise ExpressionError(self.peek()[1])
        return node

    def _binary(self, sub, ops):
        node = sub()
        while self.peek()[1] in ops:
            op = self.take()[1]
            node = Node("op", op, (node, sub()))
        return node

    def or_(self):
        return self._binary(self.and_, {"or"})

    def and_(self):
        return self._binary(self.cmp, {"and"})

    def cmp(self):
        node = self.sum()
        if self.peek()[1] in {"=", "!=", "<", "<=", ">", ">="}:
            op = self.take()[1]
            node = Node("op", op, (node, self.sum()))
        return node

    def sum(self):
        return self._binary(self.prod, {"+", "-"})

    def prod(self):
        return self._binary(self.unary, {"*", "div", "mod"})

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.atom()

    def atom(self):
        kind, value = self.take()
        if kind == "number":
            return Node("num", float(value))
        if kind == "string":
            return Node("str", value[1:-1])
        if kind == "ref":
            return Node("ref", value[2:-1])
        if kind == "dot":
            return Node("dot")
        if value == "(":
            node = self.or_()
            self.take(")")
            return node
        if kind == "name":
            if self.columns and self.peek()[1] != "(" and value not in FUNCTIONS:
                return Node("col", value)
            if value not in FUNCTIONS or self.peek()[1] != "(":
                raise ExpressionError(value)
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.or_())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.or_())
            self.take(")")
            if FUNCTIONS[value] >= 0 and len(args) != FUNCTIONS[value]:
                raise ExpressionError(f"{value}()")
            return Node("call", value, tuple(args))
        raise ExpressionError(value)


def parse(text: str, *, columns: bool = False) -> Node:
    """The expression's tree; `columns`: bare names are choice columns (a choice_filter)."""
    return _Parser(tokenize(text), columns=columns).parse()


def columns(node: Node) -> set[str]:
    """The choice columns a choice_filter names."""
    found = {str(node.value)} if node.kind == "col" else set()
    for arg in node.args:
        found |= columns(arg)
    return found


def references(node: Node) -> set[str]:
    # A reference's value is the question's name (see _Parser.atom).
    found = {node.value} if node.kind == "ref" and isinstance(node.value, str) else set()
    for arg in node.args:
        found |= references(arg)
    return found


def _number(value):
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return float("nan")


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0 and value == value
    if isinstance(value, list):
        return bool(value)
    return value not in ("", None)


def _text(value) -> str:
    if isinstance(value, list):
        return " ".join(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _compare(op, a, b):
    na, nb = _number(a), _number(b)
    if na == na and nb == nb and not (isinstance(a, str) and isinstance(b, str)):
        a, b = na, nb
    elif isinstance(a, str) and isinstance(b, str) and na == na and nb == nb and a and b:
        a, b = na, nb
    else:
        a, b = _text(a), _text(b)
    return {
        "=": a == b,
        "!=": a != b,
        "<": a < b,
        "<=": a <= b,
        ">": a > b,
        ">=": a >= b,
    }[op]


def evaluate(node: Node, answers: dict, current=None, choice=None):
    kind = node.kind
    if kind == "num" or kind == "str":
        return node.value
    if kind == "col":
        return (choice or {}).get(node.value, "")
    if choice is not None:  # pass the choice down (the recursion below does not name it)
        return _evaluate_with(node, answers, current, choice)
    if kind == "ref":
        value = answers.get(node.value)
        return "" if value is None else value
    if kind == "dot":
        return "" if current is None else current
    if kind == "neg":
        return -_number(evaluate(node.args[0], answers, current))
    if kind == "call":
        args = [evaluate(a, answers, current) for a in node.args]
        name = node.value
        if name == "selected":
            chosen = args[0] if isinstance(args[0], list) else _text(args[0]).split()
            return _text(args[1]) in chosen
        if name == "count-selected":
            return float(len(args[0] if isinstance(args[0], list) else _text(args[0]).split()))
        if name == "string-length":
            return float(len(_text(args[0])))
        if name == "not":
            return not _boolean(args[0])
        if name == "true":
            return True
        if name == "false":
            return False
        if name == "int":
            n = _number(args[0])
            return float(int(n)) if n == n else n
        if name == "string":
            return _text(args[0])
        if name == "round":
            n, digits = _number(args[0]), _number(args[1])
            return round(n, int(digits)) if n == n and digits == digits else float("nan")
        if name == "if":
            return args[1] if _boolean(args[0]) else args[2]
        if name == "coalesce":
            return args[0] if args[0] not in ("", None) else args[1]
        if name == "concat":
            return "".join(_text(a) for a in args)
        return _number(args[0])  # number()
    op = node.value
    if op == "or":
        return _boolean(evaluate(node.args[0], answers, current)) or _boolean(
            evaluate(node.args[1], answers, current)
        )
    if op == "and":
        return _boolean(evaluate(node.args[0], answers, current)) and _boolean(
            evaluate(node.args[1], answers, current)
        )
    a = evaluate(node.args[0], answers, current)
    b = evaluate(node.args[1], answers, current)
    if op in {"=", "!=", "<", "<=", ">", ">="}:
        return _compare(op, a, b)
    a, b = _number(a), _number(b)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "div":
        return a / b if b else float("nan")
    return a % b if b else float("nan")  # mod


def _evaluate_with(node: Node, answers: dict, current, choice):
    """`evaluate` where a choice_filter's column names read `choice`: column nodes are replaced by
    the choice's values first."""
    return evaluate(_bind(node, choice), answers, current)


def _bind(node: Node, choice: dict) -> Node:
    if node.kind == "col":
        return Node("str", str(choice.get(node.value, "")))
    if not node.args:
        return node
    return Node(node.kind, node.value, tuple(_bind(a, choice) for a in node.args))


def holds(text: str, answers: dict, current=None, choice=None) -> bool:
    """Whether the expression `text` is true for these answers (empty text: true); `choice`: the
    choice a choice_filter is tried on ({"name": …, column: value})."""
    if not text:
        return True
    node = parse(text, columns=choice is not None)
    return _boolean(evaluate(node, answers, current, choice))


def value(text: str, answers: dict):
    """A calculation's value for these answers: a number when it is one, else text."""
    result = evaluate(parse(text), answers)
    if isinstance(result, bool):
        return "true" if result else "false"
    if isinstance(result, float):
        if result != result:  # NaN: nothing to calculate from
            return ""
        return int(result) if result.is_integer() else round(result, 6)
    return result
