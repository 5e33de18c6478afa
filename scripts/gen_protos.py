#!/usr/bin/env python3
"""Generate the project's proto2 files from the tables of WIRE-SCHEMA.md.

Usage: gen_protos.py WIRE-SCHEMA.md OUTPUT_DIR

WIRE-SCHEMA.md is the only input: every message, enum, field number, label,
type, default and oneof comes from its tables, so the generated files can be
regenerated (and diffed) whenever the schema document changes. The outputs
are committed under proto/ and are what CMake compiles.

The script is strict on purpose: an unresolvable type, a duplicate number, a
nested type whose parent is unknown, a note that nobody has reviewed, or a
message/enum total that disagrees with the document is an error, because a
silent slip here corrupts the wire.
"""

import os
import re
import sys

HEADER = ("// Generated from WIRE-SCHEMA.md by scripts/gen_protos.py; "
          "field numbers are the wire contract.")

# Where each Mesos source file of the schema lands below OUTPUT_DIR. The keys
# are the paths used in the "### File" headings; the values double as import
# paths (protoc is run with `-I proto`).
OUTPUT_PATHS = {
    "include/mesos/mesos.proto": "mesos/mesos.proto",
    "include/mesos/scheduler/scheduler.proto":
        "mesos/scheduler/scheduler.proto",
    "include/mesos/authentication/authentication.proto":
        "mesos/authentication/authentication.proto",
    "src/messages/messages.proto": "messages/messages.proto",
}

SCALARS = {
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32",
    "sint64", "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string",
    "bytes",
}

# Purpose of top-level types that are not libprocess messages themselves (the
# libprocess ones get their comment from the index in section 2). Written for
# this project; keyed by fully-qualified name.
TYPE_COMMENTS = {
    "mesos.FrameworkInfo":
        "Framework description sent when (re)registering or subscribing.",
    "mesos.MasterInfo":
        "Identity of the leading master; also stored as JSON in ZooKeeper, "
        "so the field names matter there.",
    "mesos.Offer": "Resources of one agent offered to a framework.",
    "mesos.InverseOffer":
        "Maintenance request asking a framework to give resources back.",
    "mesos.TaskInfo": "Task description carried by launch operations.",
    "mesos.TaskStatus":
        "Task state report; `state` is required, so every TaskState value "
        "must be known to a receiver.",
    "mesos.TaskState":
        "Keep this order: an unset field reads as the first value, "
        "TASK_STAGING (6), not as 0.",
    "mesos.Filters": "Offer filters attached to accept/decline.",
    "mesos.Credential": "Principal and secret used for CRAM-MD5.",
    "mesos.UUID": "Holds the 16 raw bytes of an RFC-4122 UUID.",
    "mesos.Status": "Scheduler driver status (returned by driver calls).",
    "mesos.internal.ResourceVersionUUID":
        "Agent resource version; only RunTaskMessage refers to it.",
    "mesos.internal.StatusUpdate":
        "Payload of StatusUpdateMessage; `uuid` decides whether the update "
        "must be acknowledged.",
}

# Table notes rewritten as short trailing comments, kept only when they state
# a wire fact. Keyed by (message FQN, field name). Notes that are purely
# structural (oneof membership, [deprecated=true]) are handled by the
# generator; any other note must appear here or in IGNORED_NOTES.
FIELD_COMMENTS = {
    ("mesos.internal.StatusUpdate", "uuid"):
        "16 raw UUID bytes; always set with status.uuid, the driver acks on "
        "this one",
    ("mesos.internal.ReregisterFrameworkMessage", "framework"):
        "no field 1 on the wire",
    ("mesos.internal.LaunchTasksMessage", "filters"):
        "required: send an empty Filters when there are none",
    ("mesos.internal.ResourceOffersMessage", "pids"):
        "agent UPIDs, same index as `offers`",
    ("mesos.internal.StatusUpdateMessage", "pid"):
        "producing agent's UPID; \"@0.0.0.0:0\" or unset when the master "
        "made the update",
    ("mesos.internal.StatusUpdateAcknowledgementMessage", "uuid"):
        "16 raw UUID bytes",
    ("mesos.internal.FrameworkErrorMessage", "message"):
        "no field 1 on the wire",
    ("mesos.internal.AuthenticateMessage", "pid"):
        "UPID of the scheduler process, not of the authenticatee",
    ("mesos.scheduler.Call.Acknowledge", "uuid"):
        "16 raw UUID bytes (version nibble 1-5)",
    ("mesos.MasterInfo", "ip"):
        "IPv4 bytes in network order read as a little-endian uint32; "
        "superseded by address.ip",
    ("mesos.MasterInfo", "port"): "superseded by address.port",
    ("mesos.MasterInfo", "pid"): "UPID the driver sends to",
    ("mesos.MasterInfo", "hostname"): "superseded by address.hostname",
    ("mesos.Resource", "reservation"):
        "old single-reservation form; never set together with `reservations`",
    ("mesos.Resource", "reservations"):
        "reservation stack (refinement format)",
    ("mesos.TaskStatus", "uuid"):
        "16 raw UUID bytes; only on updates that must be acknowledged",
    ("mesos.UUID", "value"): "16 raw bytes",
}

# Notes reviewed and deliberately not turned into comments (none so far).
IGNORED_NOTES = set()

ONEOF_NOTE = re.compile(r"member of `oneof (\w+)`")
DEPRECATED_NOTE = "[deprecated=true]"


class SchemaError(Exception):
    pass


class Field:
    def __init__(self, owner, number, name, label, type_, default, notes,
                 line):
        self.owner = owner  # FQN of the containing message
        self.number = number
        self.name = name
        self.label = label
        self.type = type_
        self.default = default
        self.notes = notes
        self.line = line
        self.oneof = None
        m = ONEOF_NOTE.search(notes)
        if label == "(oneof)":
            if not m:
                raise SchemaError("line %d: oneof member without a oneof name"
                                  % line)
            self.oneof = m.group(1)
        self.deprecated = DEPRECATED_NOTE in notes


class Message:
    kind = "message"

    def __init__(self, fqn, line):
        self.fqn = fqn
        self.line = line
        self.fields = []
        self.children = []  # nested messages and enums, in declaration order
        self.empty = False


class Enum:
    kind = "enum"

    def __init__(self, fqn, line):
        self.fqn = fqn
        self.line = line
        self.values = []  # (name, number)


class ProtoFile:
    def __init__(self, source, package):
        self.source = source
        self.package = package
        self.top = []


def cells(line):
    """Splits a Markdown table row into stripped cells."""
    parts = line.strip().split("|")
    return [p.strip() for p in parts[1:-1]]


def unquote(cell):
    cell = cell.strip()
    if cell.startswith("`") and cell.endswith("`"):
        return cell[1:-1]
    return cell


def parse(text):
    files = []
    by_fqn = {}
    index = {}
    declared = {}
    documented_imports = {}
    current_file = None
    current = None
    section = None

    for lineno, line in enumerate(text.splitlines(), 1):
        m = re.search(r"\((\d+) messages, (\d+) enums\)", line)
        if m and "messages" not in declared:
            declared["messages"] = int(m.group(1))
            declared["enums"] = int(m.group(2))

        if line.startswith("## "):
            section = line[3:].split(".")[0].strip()
            current = None
            continue

        if section == "1" and line.lstrip().startswith("| `"):
            row = cells(line)
            source = unquote(row[0])
            if source in OUTPUT_PATHS and len(row) >= 3:
                documented_imports[source] = re.findall(r"`([\w./]+)`",
                                                        row[2])
            continue

        if section == "2" and line.startswith("| `"):
            parse_index_row(cells(line), index)
            continue

        m = re.match(r"### File `([^`]+)` .*package ([\w.]+);", line)
        if m:
            current_file = ProtoFile(m.group(1), m.group(2))
            if current_file.source not in OUTPUT_PATHS:
                raise SchemaError("line %d: unknown source file %s"
                                  % (lineno, current_file.source))
            files.append(current_file)
            current = None
            continue

        m = re.match(r"#### (enum )?`([\w.]+)`\s*$", line)
        if m:
            if current_file is None:
                raise SchemaError("line %d: type outside a file section"
                                  % lineno)
            fqn = m.group(2)
            if fqn in by_fqn:
                raise SchemaError("line %d: %s declared twice" % (lineno, fqn))
            current = (Enum if m.group(1) else Message)(fqn, lineno)
            attach(current_file, by_fqn, current)
            by_fqn[fqn] = current
            continue

        if current is None:
            continue

        if line.startswith("_No fields"):
            current.empty = True
            continue

        if not line.startswith("|") or line.startswith("|---") \
                or line.startswith("| #") or line.startswith("| name"):
            continue

        row = cells(line)
        if current.kind == "message":
            if len(row) != 6:
                raise SchemaError("line %d: expected 6 cells, got %d"
                                  % (lineno, len(row)))
            current.fields.append(Field(current.fqn, int(row[0]),
                                        unquote(row[1]), row[2], row[3],
                                        row[4], row[5], lineno))
        else:
            if len(row) != 3:
                raise SchemaError("line %d: expected 3 cells, got %d"
                                  % (lineno, len(row)))
            current.values.append((unquote(row[0]), int(row[1])))

    return files, by_fqn, index, declared, documented_imports


def parse_index_row(row, index):
    """Records wire name -> (direction, purpose) from the section 2 index."""
    if len(row) != 3:
        return
    names = re.findall(r"`([\w.]+)`", row[0])
    package = None
    for name in names:
        if "." in name:
            package = name.rsplit(".", 1)[0]
        elif package:
            # "`pkg.A` / `B`" rows abbreviate the later names.
            name = package + "." + name
        index[name] = (row[1], row[2])


def attach(proto_file, by_fqn, node):
    prefix = proto_file.package + "."
    if not node.fqn.startswith(prefix):
        raise SchemaError("%s is not in package %s"
                          % (node.fqn, proto_file.package))
    path = node.fqn[len(prefix):].split(".")
    if len(path) == 1:
        proto_file.top.append(node)
        return
    parent = by_fqn.get(prefix + ".".join(path[:-1]))
    if parent is None or parent.kind != "message":
        raise SchemaError("line %d: parent of %s not declared before it"
                          % (node.line, node.fqn))
    parent.children.append(node)


def walk(nodes):
    for node in nodes:
        yield node
        if node.kind == "message":
            yield from walk(node.children)


def file_of(files):
    owner = {}
    for f in files:
        for node in walk(f.top):
            owner[node.fqn] = f
    return owner


def validate(files, by_fqn, declared, index):
    owner = file_of(files)
    problems = []
    top_level = {node.fqn for f in files for node in f.top}
    for name in index:
        if name not in top_level or by_fqn[name].kind != "message":
            problems.append("index names %s, which is no top-level message"
                            % name)
    for f in files:
        for node in walk(f.top):
            if node.kind == "enum":
                check_enum(node, problems)
            else:
                check_message(node, by_fqn, problems)
            if node.kind == "message" and node.empty and node.fields:
                problems.append("%s: marked empty but has fields" % node.fqn)

    for fqn, name in list(FIELD_COMMENTS) + list(IGNORED_NOTES):
        node = by_fqn.get(fqn)
        if node is None or node.kind != "message" \
                or name not in [f.name for f in node.fields]:
            problems.append("comment for unknown field %s.%s" % (fqn, name))
    for fqn in TYPE_COMMENTS:
        if fqn not in by_fqn:
            problems.append("comment for unknown type %s" % fqn)

    messages = sum(1 for n in by_fqn.values() if n.kind == "message")
    enums = sum(1 for n in by_fqn.values() if n.kind == "enum")
    if declared and (declared["messages"], declared["enums"]) != (messages,
                                                                  enums):
        problems.append("document announces %d messages and %d enums, tables "
                        "hold %d and %d" % (declared["messages"],
                                            declared["enums"], messages, enums))
    if problems:
        raise SchemaError("\n".join(problems))
    return owner, messages, enums


def check_enum(node, problems):
    if not node.values:
        problems.append("%s: enum without values" % node.fqn)
    names = [n for n, _ in node.values]
    numbers = [v for _, v in node.values]
    if len(set(names)) != len(names):
        problems.append("%s: duplicate value names" % node.fqn)
    if len(set(numbers)) != len(numbers):
        problems.append("%s: duplicate numbers (aliases unsupported)"
                        % node.fqn)


def check_message(node, by_fqn, problems):
    numbers = set()
    names = set()
    for fld in node.fields:
        where = "%s.%s (line %d)" % (node.fqn, fld.name, fld.line)
        if fld.number in numbers or not 1 <= fld.number <= 536870911 \
                or 19000 <= fld.number <= 19999:
            problems.append("%s: bad or duplicate number %d"
                            % (where, fld.number))
        if fld.name in names:
            problems.append("%s: duplicate name" % where)
        numbers.add(fld.number)
        names.add(fld.name)
        if fld.label not in ("required", "optional", "repeated", "(oneof)",
                             "map"):
            problems.append("%s: unknown label %r" % (where, fld.label))
        try:
            resolve_field_type(fld, by_fqn)
        except SchemaError as e:
            problems.append("%s: %s" % (where, e))
        if fld.default and fld.label in ("repeated", "map"):
            problems.append("%s: default on a repeated field" % where)
        note = strip_structural_notes(fld.notes)
        if note and (node.fqn, fld.name) not in FIELD_COMMENTS \
                and (node.fqn, fld.name) not in IGNORED_NOTES:
            problems.append("%s: unreviewed note %r (add it to FIELD_COMMENTS "
                            "or IGNORED_NOTES)" % (where, note))
    oneofs = [f.oneof for f in node.fields if f.oneof]
    for name in set(oneofs):
        if name in names:
            problems.append("%s: oneof %s clashes with a field" % (node.fqn,
                                                                   name))


def strip_structural_notes(notes):
    notes = ONEOF_NOTE.sub("", notes).replace("(declare without a label)", "")
    notes = notes.replace("**deprecated** (`[deprecated=true]`)", "")
    return notes.strip()


def resolve_type(name, by_fqn, want_enum):
    """Returns the protobuf spelling of a table type name."""
    if name in SCALARS and not want_enum:
        return name
    node = by_fqn.get(name)
    if node is None:
        raise SchemaError("unknown type %s" % name)
    if (node.kind == "enum") != want_enum:
        raise SchemaError("%s is a %s but the table says otherwise"
                          % (name, node.kind))
    # A leading dot makes the reference absolute, so a field named like a
    # package (ContainerInfo.mesos) can never shadow it.
    return "." + name


def resolve_field_type(fld, by_fqn):
    text = fld.type
    if fld.label == "map":
        m = re.fullmatch(r"map<([\w.]+),\s*([\w.]+)( \(enum\))?>", text)
        if not m:
            raise SchemaError("malformed map type %r" % text)
        key = m.group(1)
        if key not in SCALARS or key in ("double", "float", "bytes"):
            raise SchemaError("invalid map key type %s" % key)
        value = resolve_type(m.group(2), by_fqn, bool(m.group(3)))
        return "map<%s, %s>" % (key, value), [m.group(2)]
    is_enum = text.endswith(" (enum)")
    name = text[:-len(" (enum)")] if is_enum else text
    return resolve_type(name, by_fqn, is_enum), [name]


def format_default(fld, by_fqn):
    value = fld.default
    if fld.type == "string" or fld.type == "bytes":
        if not (value.startswith('"') and value.endswith('"')):
            value = '"%s"' % value.replace("\\", "\\\\").replace('"', '\\"')
        return value
    if fld.type.endswith(" (enum)"):
        enum = by_fqn[fld.type[:-len(" (enum)")]]
        if value not in [n for n, _ in enum.values]:
            raise SchemaError("%s: default %s is not a value of %s"
                              % (fld.name, value, enum.fqn))
        return value
    if fld.type == "bool":
        if value not in ("true", "false"):
            raise SchemaError("%s: bad bool default %s" % (fld.name, value))
        return value
    if not re.fullmatch(r"-?(\d+(\.\d*)?([eE][-+]?\d+)?|inf|nan)", value):
        raise SchemaError("%s: bad numeric default %s" % (fld.name, value))
    return value


def comment_for_top(node, index):
    """Returns comment paragraphs for a top-level type (maybe none)."""
    paragraphs = []
    if node.fqn in index:
        direction, purpose = index[node.fqn]
        direction = direction.replace("\u2192", "->").replace("`", "")
        purpose = purpose.replace("`", "")
        paragraphs.append("libprocess message: %s." % direction)
        paragraphs.append(purpose[:1].upper() + purpose[1:] + ".")
    if node.fqn in TYPE_COMMENTS:
        paragraphs.append(TYPE_COMMENTS[node.fqn])
    return paragraphs


def render_field(fld, by_fqn, indent):
    type_text, _ = resolve_field_type(fld, by_fqn)
    options = []
    if fld.default:
        options.append("default = %s" % format_default(fld, by_fqn))
    if fld.deprecated:
        options.append("deprecated = true")
    head = type_text
    if fld.label not in ("map", "(oneof)"):
        head = fld.label + " " + type_text
    tail = "%s = %d" % (fld.name, fld.number)
    if options:
        tail += " [%s]" % ", ".join(options)
    tail += ";"
    decl = [indent + head + " " + tail]
    if len(decl[0]) > 80:
        # Fully-qualified names get long; break after the type, as
        # clang-format does.
        decl = [indent + head, indent + "    " + tail]
    comment = FIELD_COMMENTS.get((fld.owner, fld.name))
    if not comment:
        return decl
    if len(decl) == 1 and len(decl[0]) + len("  // ") + len(comment) <= 80:
        return [decl[0] + "  // " + comment]
    return wrap_comment(comment, indent) + decl


def render_node(node, by_fqn, index, depth, out, top_level):
    pad = "  " * depth
    if top_level:
        for paragraph in comment_for_top(node, index):
            out.extend(wrap_comment(paragraph, pad))
    if node.kind == "enum":
        out.append("%senum %s {" % (pad, node.fqn.rsplit(".", 1)[1]))
        for name, number in node.values:
            out.append("%s  %s = %d;" % (pad, name, number))
        out.append(pad + "}")
        return

    name = node.fqn.rsplit(".", 1)[1]
    if not node.fields and not node.children:
        out.append("%smessage %s {}" % (pad, name))
        return
    out.append("%smessage %s {" % (pad, name))
    for child in node.children:
        render_node(child, by_fqn, index, depth + 1, out, False)
        out.append("")
    emitted_oneofs = set()
    for fld in node.fields:
        if fld.oneof is None:
            out.extend(render_field(fld, by_fqn, pad + "  "))
            continue
        if fld.oneof in emitted_oneofs:
            continue
        # Members of one oneof must be declared together; emit the whole
        # block where its first member appears.
        emitted_oneofs.add(fld.oneof)
        out.append("%s  oneof %s {" % (pad, fld.oneof))
        for member in node.fields:
            if member.oneof == fld.oneof:
                out.extend(render_field(member, by_fqn, pad + "    "))
        out.append(pad + "  }")
    if out[-1] == "":
        out.pop()
    out.append(pad + "}")


def wrap_comment(text, pad, width=80):
    lines = []
    words = text.split()
    current = pad + "//"
    for word in words:
        if len(current) + 1 + len(word) > width and current != pad + "//":
            lines.append(current)
            current = pad + "//"
        current += " " + word
    lines.append(current)
    return lines


def render_file(proto_file, owner, by_fqn, index):
    imports = set()
    for node in walk(proto_file.top):
        if node.kind != "message":
            continue
        for fld in node.fields:
            _, names = resolve_field_type(fld, by_fqn)
            for name in names:
                if name in SCALARS:
                    continue
                other = owner[name]
                if other is not proto_file:
                    imports.add(OUTPUT_PATHS[other.source])

    out = [HEADER, "", 'syntax = "proto2";', "",
           "package %s;" % proto_file.package, ""]
    if imports:
        for path in sorted(imports):
            out.append('import "%s";' % path)
        out.append("")
    for node in proto_file.top:
        render_node(node, by_fqn, index, 0, out, True)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n", imports


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s WIRE-SCHEMA.md OUTPUT_DIR\n" % argv[0])
        return 2
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    try:
        files, by_fqn, index, declared, documented_imports = parse(text)
        owner, messages, enums = validate(files, by_fqn, declared, index)
        for proto_file in files:
            content, imports = render_file(proto_file, owner, by_fqn, index)
            path = os.path.join(argv[2], OUTPUT_PATHS[proto_file.source])
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(content)
            print("wrote %s (package %s, imports: %s)"
                  % (path, proto_file.package,
                     ", ".join(sorted(imports)) or "none"))
            # Imports are derived from the references actually made; the
            # file table in section 1 must allow every one of them.
            documented = set(documented_imports.get(proto_file.source, []))
            extra = imports - documented
            if extra:
                raise SchemaError("%s needs undocumented imports: %s"
                                  % (proto_file.source,
                                     ", ".join(sorted(extra))))
            for unused in sorted(documented - imports):
                print("  dropped import %s: no listed type needs it" % unused)
    except SchemaError as e:
        sys.stderr.write("gen_protos: %s\n" % e)
        return 1
    print("%d messages, %d enums" % (messages, enums))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
