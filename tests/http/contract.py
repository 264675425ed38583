"""Checks every API response the HTTP suites receive against docs/openapi.yaml: the status must
be one the operation documents, the body must match its schema (errors their status's codes),
the headers it requires must be there, and an address or method the document does not have
must be answered 404 or 405. harness.Server.request calls check() on each response, so a
response that does not match fails the test that received it."""
import json, os, re, threading
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "openapi.yaml")
BASE = "/api/v1"
METHODS = ("get", "put", "post", "delete", "patch")
URI = "urn:mend:openapi"

with open(SPEC_PATH) as f:
    SPEC = yaml.safe_load(f)
_registry = Registry().with_resource(URI, Resource.from_contents(SPEC, default_specification=DRAFT202012))
_validators = {}
_lock = threading.Lock()
seen = set()  # (path template, method, status) answered


def _pointer(parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _deref(node, where):
    """Follows a local $ref; returns the node and its JSON pointer."""
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), "only local references: " + ref
        where = ref[1:]
        node = SPEC
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node, where


def _template(p):
    rx = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(p))
    return re.compile("^" + rx + "$")


# literal addresses first ("/checkins/schedule" before "/checkins/{week}")
_paths = sorted(((p, _template(p)) for p in SPEC["paths"]), key=lambda t: (t[0].count("{"), t[0]))


def _validator(pointer):
    with _lock:
        v = _validators.get(pointer)
        if v is None:
            v = Draft202012Validator({"$ref": URI + "#" + pointer}, registry=_registry)
            _validators[pointer] = v
        return v


def _fail(what, method, path, status, body):
    text = body[:300].decode("utf-8", "replace") if isinstance(body, bytes) else str(body)[:300]
    raise AssertionError("contract (docs/openapi.yaml): %s %s answered %s: %s\n    body: %s" % (method, path, status, what, text))


def _error_shape(method, path, status, body, code):
    try:
        j = json.loads(body)
        ok = set(j) == {"error"} and set(j["error"]) == {"code", "message", "field"} and j["error"]["code"] == code
    except (ValueError, TypeError, KeyError):
        ok = False
    if not ok:
        _fail("an error {\"error\":{\"code\":\"%s\",...}} was due" % code, method, path, status, body)


def check(method, full_path, status, headers, body):
    """headers: a function name -> value or None."""
    path = full_path.split("?", 1)[0]
    if not path.startswith(BASE + "/"):
        return
    sub = path[len(BASE):]
    method = method.lower()
    template = next((p for p, rx in _paths if rx.match(sub)), None)
    if template is None:
        if status == 400:  # the request could not be read before any route was found
            return _error_shape(method, path, status, body, "bad_request")
        if status != 404:
            _fail("an address the document does not have must be 404", method, path, status, body)
        return _error_shape(method, path, status, body, "not_found")
    item, where = _deref(SPEC["paths"][template], _pointer(["paths", template]))
    op_method = "get" if method == "head" else method
    op = item.get(op_method)
    if op is None:
        if status in (400, 413):  # refused before the method was looked at
            return
        if status != 405 or not headers("Allow"):
            _fail("a method the document does not have for this address must be 405 with Allow", method, path, status, body)
        return _error_shape(method, path, status, body, "method_not_allowed")
    seen.add((template, op_method, status))
    resp = op["responses"].get(str(status))
    if resp is None and status == 404 and SPEC.get("x-sessions-by-role"):
        # a partner's route to a counsellor's session, or a counsellor's to a partner's (the
        # document's x-sessions-by-role): not found, in the one error shape
        return _error_shape(method, path, status, body, "not_found")
    if resp is None:
        _fail("status %d is not documented for %s %s" % (status, op_method.upper(), template), method, path, status, body)
    resp, rwhere = _deref(resp, where + _pointer([op_method, "responses", str(status)]))
    for name, h in (resp.get("headers") or {}).items():
        h, _ = _deref(h, "")
        if h.get("required") and not headers(name):
            _fail("the header %s is required" % name, method, path, status, body)
    content = resp.get("content")
    if method == "head":
        return
    if not content:
        if body:
            _fail("no body was due", method, path, status, body)
        return
    ctype = (headers("Content-Type") or "").split(";")[0].strip()
    if ctype not in content:
        _fail("Content-Type %r is not one of %s" % (ctype, sorted(content)), method, path, status, body)
    if ctype != "application/json":
        return
    try:
        doc = json.loads(body)
    except ValueError:
        _fail("the body is not JSON", method, path, status, body)
    pointer = rwhere + _pointer(["content", ctype, "schema"])
    errors = sorted(_validator(pointer).iter_errors(doc), key=lambda e: list(e.absolute_path))
    if errors:
        e = errors[0]
        at = "/".join(str(p) for p in e.absolute_path) or "(the body)"
        _fail("does not match its schema at %s: %s" % (at, e.message[:300]), method, path, status, body)


def operations():
    """Every (template, method) the document has, archive addresses included."""
    out = set()
    for p in SPEC["paths"]:
        item, _ = _deref(SPEC["paths"][p], "")
        out.update((p, m) for m in METHODS if m in item)
    return out
