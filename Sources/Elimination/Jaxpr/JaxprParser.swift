/// Reads jaxpr text as printed by `print(jax.make_jaxpr(f)(*xs))`, from JAX 0.4.x (bare literals,
/// `dot_general[` parameters over several lines) to current JAX (typed literals `2.0:f32[]`,
/// one-line jaxprs with `;` separators, nested `{ lambda … }` parameters).
///
/// Line breaks carry no meaning here: an equation ends where the next one starts (`name:type … =`),
/// at a `;`, or at the final `in`. That keeps wrapped argument lists and parameters readable.
///
/// Linear and bounded: every byte is looked at a bounded number of times, nesting is at most
/// `GameLimits.maxNesting` deep, and reading stops with `tooLarge` as soon as the equations that
/// will become vertices exceed what a game state can hold (`GameLimits.maxVertices`), so a huge
/// text is refused after reading about 16,000 equations, whatever its length.
struct JaxprParser {
    private let bytes: [UInt8]
    private var pos = 0
    private var line = 1
    /// Nested `{ lambda … }` levels entered.
    private var depth = 0
    /// Equations that will become vertices: those of the top level and of the bodies of inlined
    /// calls (`ProgramBuilder.inlinedCalls`), not the calls themselves nor other nested bodies.
    private var vertexEquations = 0
    /// Set once the top-level inputs are known.
    private var maxVertexEquations = Int.max
    private var topLevelInputs = 0
    /// Where the last failed `looksLikeEquationStart` scan began and where it stopped: a scan from
    /// any position in between stops at the same place, so it is not repeated (operands like
    /// `inf:f32[] inf:f32[] …` would otherwise make the parser quadratic).
    private var noEquationStart = 0..<0
    /// Bodies printed once before the jaxpr and referred to by name (see `parseSharedJaxprs`).
    private var sharedJaxprs: [String: SharedJaxpr] = [:]
    /// Shared definitions read so far: numbers them in the order printed (`SharedJaxpr.index`).
    private var sharedDefinitionsRead = 0
    /// One set per nested body whose text is being kept (innermost last): the shared jaxprs its
    /// text names, directly or through the bodies it names, so that text can carry their
    /// definitions (`keptText`).
    private var sharedNamesInBody: [Set<String>] = []

    /// A body printed once before the jaxpr (`let NAME = { lambda … } in`).
    private struct SharedJaxpr {
        var body: JaxprSyntax
        /// The body as printed, white space folded: it may name earlier shared jaxprs.
        var text: String
        /// Its position among the definitions: a definition may use only earlier ones.
        var index: Int
        /// The shared jaxprs its text names, directly or through others.
        var names: Set<String>
        /// `text` preceded by the definitions of `names`: it reads on its own.
        var selfContainedText: String
    }

    init(text: String) {
        bytes = Array(text.utf8)
    }

    static func parse(_ text: String) throws(ImportError) -> JaxprSyntax {
        var parser = JaxprParser(text: text)
        do throws(ImportError) {
            try parser.parseSharedJaxprs()
            let jaxpr = try parser.parseJaxpr()
            parser.skipSpace()
            if !parser.atEnd {
                throw parser.error("unexpected text after the end of the jaxpr: \(parser.preview())")
            }
            return jaxpr
        } catch {
            // Most broken jaxprs are cut-off copies: say so when the text does not end like one.
            var e = error
            if e.kind == .syntax && !text.reversed().drop(while: { $0.isWhitespace }).starts(with: "}")
                && !e.message.contains("truncated")
            {
                e.message += " (the text does not end with '}': it looks truncated)"
            }
            throw e
        }
    }

    // MARK: Grammar

    /// `countsVertices`: this jaxpr's equations become vertices (the top level, or an inlined body).
    private mutating func parseJaxpr(countsVertices: Bool = true) throws(ImportError) -> JaxprSyntax {
        skipSpace()
        if atEnd { throw error("the text is empty: expected a jaxpr starting with '{ lambda'") }
        guard depth < GameLimits.maxNesting else {
            throw error(
                "jaxprs nested more than \(GameLimits.maxNesting) deep; ccelim reads at most that many levels of pjit or other nested '{ lambda'"
            )
        }
        depth += 1
        defer { depth -= 1 }
        try expect("{")
        try expectWord("lambda")
        var constants: [JaxprBinder] = []
        var inputs: [JaxprBinder] = []
        // Constants come before ';'. With no ';' at all every binder is an input.
        var binders: [JaxprBinder] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: ";") {
                pos += 1
                constants = binders
                binders = []
                continue
            }
            if peek() == UInt8(ascii: ".") { pos += 1; break }
            if atEnd { throw error("the text ends inside the jaxpr's input list") }
            binders.append(try parseBinder())
        }
        inputs = binders
        if depth == 1 {
            topLevelInputs = inputs.count
            maxVertexEquations = GameLimits.maxVertices(inputs: inputs.count)
        }
        try expectWord("let")

        var equations: [JaxprEquation] = []
        while true {
            skipSpace()
            if atEnd { throw error("the text ends before the jaxpr's final 'in (…)': it looks truncated") }
            if peek() == UInt8(ascii: ";") { pos += 1; continue }
            if isFinalIn() { break }
            // An equation without results computes nothing the program can use (ccelim models no
            // effects): it is read and dropped.
            let equation = try parseEquation(countsVertices: countsVertices)
            if !equation.outputs.isEmpty { equations.append(equation) }
        }
        try expectWord("in")
        let outputs = try parseOutputs()
        skipSpace()
        try expect("}")
        return JaxprSyntax(constants: constants, inputs: inputs, equations: equations, outputs: outputs)
    }

    private mutating func parseBinder() throws(ImportError) -> JaxprBinder {
        skipSpace()
        let startLine = line
        guard let name = readIdentifier() else {
            throw error("expected a variable name with a type (like 'a:f32[3]'), found \(preview())")
        }
        skipSpace()
        try expect(":")
        let type = try parseType()
        if type.dtype == "c64" || type.dtype == "c128" {
            throw ImportError(
                .unsupportedShape, line: startLine,
                "'\(name)' has the complex type \(type): ccelim differentiates real-valued programs only")
        }
        return JaxprBinder(name: name, type: type, line: startLine)
    }

    /// `f32[]`, `f32[3,4]`, `key<fry>[]`.
    private mutating func parseType() throws(ImportError) -> ArrayType {
        skipSpace()
        let start = pos
        var depth = 0
        while let c = peek() {
            if c == UInt8(ascii: "<") {
                depth += 1
            } else if c == UInt8(ascii: ">") {
                depth -= 1
            } else if depth == 0 && !isIdentifierByte(c) {
                break
            }
            pos += 1
        }
        guard pos > start else { throw error("expected a type like 'f32[3]', found \(preview())") }
        let dtype = String(decoding: bytes[start..<pos], as: UTF8.self)
        try expect("[")
        var shape: [Int] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: "]") { pos += 1; break }
            guard let n = readInteger() else {
                throw error("expected a dimension size in the type '\(dtype)[…]', found \(preview())")
            }
            guard n <= GameLimits.maxDimension else {
                throw ImportError(
                    .unsupportedShape, line: line,
                    "dimension \(n) in a type '\(dtype)[…]' is above the largest ccelim handles (\(GameLimits.maxDimension))"
                )
            }
            shape.append(n)
            skipSpace()
            if peek() == UInt8(ascii: ",") { pos += 1 }
        }
        return ArrayType(dtype: dtype, shape: shape)
    }

    private mutating func parseEquation(countsVertices: Bool) throws(ImportError) -> JaxprEquation {
        let startLine = line
        var outputs: [JaxprBinder] = []
        // An equation with no results (`pjit[name=atleast_2d jaxpr={ … in () }] c`, printed with
        // neither binders nor '=') starts with its primitive and parameters.
        skipSpace()
        if !looksLikeResultlessEquation() {
            while true {
                skipSpace()
                if peek() == UInt8(ascii: "=") { pos += 1; break }
                if atEnd { throw error("the text ends inside an equation") }
                outputs.append(try parseBinder())
            }
            if outputs.isEmpty { throw error("an equation has no result before '='") }
        }
        skipSpace()
        guard let primitive = readPrimitiveName() else {
            throw error("expected a primitive name after '=', found \(preview())")
        }
        let inlined = ProgramBuilder.inlinedCalls.contains(primitive)
        // A cond's branches are inlined too (ProgramBuilder), each equation becoming a vertex.
        let bodiesInlined = inlined || primitive == "cond"
        if countsVertices && !inlined && !outputs.isEmpty {
            vertexEquations += 1
            if vertexEquations > maxVertexEquations {
                throw GameLimits.tooLarge(
                    "the program has more than \(GameLimits.grouped(maxVertexEquations)) equations (reading stopped at this line)",
                    bytes: nil, inputs: topLevelInputs, line: startLine)
            }
        }
        var params: [JaxprParam] = []
        if peek() == UInt8(ascii: "[") {
            params = try parseParams(bodiesCountVertices: countsVertices && bodiesInlined && !outputs.isEmpty)
        }
        var operands: [JaxprAtom] = []
        while true {
            skipSpace()
            guard let c = peek() else { break }
            if c == UInt8(ascii: ";") || c == UInt8(ascii: "}") { break }
            if isFinalIn() || looksLikeResultlessEquation() || looksLikeEquationStart() { break }
            operands.append(try parseAtom())
        }
        return JaxprEquation(
            outputs: outputs, primitive: primitive, params: params, operands: operands, line: startLine)
    }

    private mutating func parseAtom() throws(ImportError) -> JaxprAtom {
        skipSpace()
        let atomLine = line
        guard let c = peek() else { throw error("the text ends where an operand was expected") }
        if isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".") {
            let text = readNumber()
            if text.isEmpty { throw error("expected a number, found \(preview())") }
            if peek() == UInt8(ascii: "j") {
                throw error("the complex literal '\(text)j': ccelim differentiates real-valued programs only")
            }
            return .literal(text: text, type: try parseOptionalLiteralType(), line: atomLine)
        }
        guard let name = readIdentifier() else {
            throw error("expected an operand (a variable or a literal), found \(preview())")
        }
        if ["True", "False", "inf", "nan"].contains(name) && peek() == UInt8(ascii: ":") {
            return .literal(text: name, type: try parseOptionalLiteralType(), line: atomLine)
        }
        if name == "True" || name == "False" { return .literal(text: name, type: nil, line: atomLine) }
        return .variable(name: name, line: atomLine)
    }

    private mutating func parseOptionalLiteralType() throws(ImportError) -> ArrayType? {
        guard peek() == UInt8(ascii: ":") else { return nil }
        pos += 1
        return try parseType()
    }

    private mutating func parseOutputs() throws(ImportError) -> [JaxprAtom] {
        skipSpace()
        var outputs: [JaxprAtom] = []
        if peek() == UInt8(ascii: "(") {
            pos += 1
            while true {
                skipSpace()
                if peek() == UInt8(ascii: ")") { pos += 1; break }
                if atEnd { throw error("the text ends inside the output list") }
                outputs.append(try parseAtom())
                skipSpace()
                if peek() == UInt8(ascii: ",") { pos += 1 }
            }
        } else {
            outputs.append(try parseAtom())
        }
        return outputs
    }

    /// JAX ≥ 0.4.36 prints a body used by several calls once, before the jaxpr:
    /// `let _roll_static = { lambda ; a:f32[6]. let … in (d,) } in` and then `pjit[… jaxpr=_roll_static]`.
    /// Reads every such definition (a later one may use an earlier one).
    ///
    /// A nested body kept as text (custom_jvp_call's `call_jaxpr`, read again when its Jacobian is
    /// built) that names shared jaxprs is kept with their definitions before it, in this same form
    /// and in the order they were printed, so it reads on its own; the text of a body that names
    /// none is kept as printed.
    private mutating func parseSharedJaxprs() throws(ImportError) {
        while true {
            skipSpace()
            let (savedPos, savedLine) = (pos, line)
            guard readIdentifier() == "let" else { (pos, line) = (savedPos, savedLine); return }
            skipSpace()
            guard let name = readIdentifier() else {
                throw error("expected the name of a shared jaxpr after 'let', found \(preview())")
            }
            try expect("=")
            skipSpace()
            let start = pos
            sharedNamesInBody.append([])
            let body = try parseJaxpr()
            let names = sharedNamesInBody.removeLast()
            let text = foldSpace(start, pos)
            try expectWord("in")
            sharedDefinitionsRead += 1
            sharedJaxprs[name] = SharedJaxpr(
                body: body, text: text, index: sharedDefinitionsRead, names: names,
                selfContainedText: withSharedDefinitions(text, names: names))
        }
    }

    /// `text` preceded by `let NAME = { … } in` for each of `names`, in the order printed.
    private func withSharedDefinitions(_ text: String, names: Set<String>) -> String {
        if names.isEmpty { return text }
        let definitions = names.compactMap { name in sharedJaxprs[name].map { (name: name, shared: $0) } }
            .sorted { $0.shared.index < $1.shared.index }
        return definitions.map { "let \($0.name) = \($0.shared.text) in " }.joined() + text
    }

    /// The text of the nested body that began at `start` and was read with its own set on
    /// `sharedNamesInBody`: as printed, preceded by the shared jaxprs it names. The enclosing body's
    /// text holds this one, so it names them too.
    private mutating func keptText(from start: Int) -> String {
        let names = sharedNamesInBody.removeLast()
        if !sharedNamesInBody.isEmpty { sharedNamesInBody[sharedNamesInBody.count - 1].formUnion(names) }
        return withSharedDefinitions(foldSpace(start, pos), names: names)
    }

    /// A parameter value that is exactly the name of a shared jaxpr (`jaxpr=_roll_static`); on
    /// anything else nothing is consumed. The body being read names it (`sharedNamesInBody`).
    private mutating func readSharedJaxprReference(
        endingWith ends: [Unicode.Scalar] = ["]"]
    ) -> (body: JaxprSyntax, text: String)? {
        let start = pos
        if let name = readIdentifier(), let shared = sharedJaxprs[name],
            peek().map({ c in isSpace(c) || ends.contains { UInt8(ascii: $0) == c } }) ?? false
        {
            if !sharedNamesInBody.isEmpty {
                sharedNamesInBody[sharedNamesInBody.count - 1].insert(name)
                sharedNamesInBody[sharedNamesInBody.count - 1].formUnion(shared.names)
            }
            return (shared.body, shared.selfContainedText)
        }
        pos = start
        return nil
    }

    /// `[key=value key=value …]`; values may nest (), [], {}, <> and whole jaxprs.
    private mutating func parseParams(bodiesCountVertices: Bool) throws(ImportError) -> [JaxprParam] {
        let openLine = line
        try expect("[")
        var params: [JaxprParam] = []
        while true {
            skipSpace()
            guard let c = peek() else {
                throw ImportError(.syntax, line: openLine, "the parameter list opened here is never closed with ']'")
            }
            if c == UInt8(ascii: "]") { pos += 1; break }
            guard let key = readIdentifier() else { throw error("expected a parameter name, found \(preview())") }
            skipSpace()
            try expect("=")
            skipSpace()
            if lookingAtNestedJaxpr() {
                let start = pos
                sharedNamesInBody.append([])
                let nested = try parseJaxpr(
                    countsVertices: bodiesCountVertices && (key == "jaxpr" || key == "call_jaxpr"))
                params.append(JaxprParam(key: key, text: keptText(from: start), jaxpr: nested))
                continue
            }
            if peek() == UInt8(ascii: "("), let tuple = try parseJaxprTuple(countsVertices: bodiesCountVertices) {
                params.append(JaxprParam(key: key, text: tuple.text, jaxpr: nil, jaxprs: tuple.bodies))
                continue
            }
            if let tuple = try parseNamedJaxprTuple() {
                params.append(
                    JaxprParam(key: key, text: tuple.text, jaxpr: nil, jaxprs: tuple.bodies, jaxprNames: tuple.names))
                continue
            }
            let start = pos
            if key != "name", let shared = readSharedJaxprReference() {
                params.append(JaxprParam(key: key, text: shared.text, jaxpr: shared.body))
                continue
            }
            try skipBalancedValue()
            params.append(JaxprParam(key: key, text: foldSpace(start, pos), jaxpr: nil))
        }
        return params
    }

    /// `( { lambda … } { lambda … } … )`, a tuple of jaxprs (cond's `branches`), separated by white
    /// space or commas; a body may be a shared jaxpr's name. nil, with nothing consumed, when the
    /// value is another tuple.
    private mutating func parseJaxprTuple(
        countsVertices: Bool
    ) throws(ImportError) -> (bodies: [JaxprSyntax], text: String)? {
        let (start, startLine) = (pos, line)
        pos += 1
        skipSpace()
        guard lookingAtNestedJaxpr() || readSharedJaxprReference(endingWith: [",", ")"]) != nil else {
            (pos, line) = (start, startLine)
            return nil
        }
        (pos, line) = (start + 1, startLine)
        var bodies: [JaxprSyntax] = []
        while true {
            skipSpace()
            guard let c = peek() else {
                throw ImportError(.syntax, line: startLine, "the tuple of jaxprs opened here is never closed with ')'")
            }
            if c == UInt8(ascii: ")") { pos += 1; break }
            if c == UInt8(ascii: ",") { pos += 1; continue }
            if lookingAtNestedJaxpr() {
                bodies.append(try parseJaxpr(countsVertices: countsVertices))
            } else if let shared = readSharedJaxprReference(endingWith: [",", ")"]) {
                bodies.append(shared.body)
            } else {
                throw error("expected a '{ lambda' jaxpr in the tuple of jaxprs, found \(preview())")
            }
        }
        return (bodies, foldSpace(start, pos))
    }

    /// `TypeName(field={ lambda … }, field=None, …)`, a named tuple of jaxprs (custom_linear_solve's
    /// `jaxprs=_LinearSolveTuple(matvec=…, vecmat=…, solve=…, transpose_solve=…)`); a body may be a
    /// shared jaxpr's name; `None` fields are left out. nil, with nothing consumed, when the value
    /// is anything else (a call-like value whose fields are not all jaxprs or None).
    private mutating func parseNamedJaxprTuple() throws(ImportError) -> (
        bodies: [JaxprSyntax], names: [String], text: String
    )? {
        let (start, startLine) = (pos, line)
        func giveUp() -> (bodies: [JaxprSyntax], names: [String], text: String)? {
            (pos, line) = (start, startLine)
            return nil
        }
        guard readIdentifier() != nil, peek() == UInt8(ascii: "(") else { return giveUp() }
        pos += 1
        var (bodies, names) = ([JaxprSyntax](), [String]())
        while true {
            skipSpace()
            guard let c = peek() else { return giveUp() }
            if c == UInt8(ascii: ")") { pos += 1; break }
            if c == UInt8(ascii: ",") { pos += 1; continue }
            guard let field = readIdentifier(), peek() == UInt8(ascii: "=") else { return giveUp() }
            pos += 1
            skipSpace()
            if lookingAtNestedJaxpr() {
                bodies.append(try parseJaxpr(countsVertices: false))
                names.append(field)
            } else if let shared = readSharedJaxprReference(endingWith: [",", ")"]) {
                bodies.append(shared.body)
                names.append(field)
            } else if readIdentifier() != "None" {
                return giveUp()
            }
        }
        guard !bodies.isEmpty else { return giveUp() }
        return (bodies, names, foldSpace(start, pos))
    }

    /// Advances over one parameter value: up to white space or ']' at bracket depth zero.
    private mutating func skipBalancedValue() throws(ImportError) {
        var stack: [UInt8] = []
        let startLine = line
        while let c = peek() {
            if stack.isEmpty && (isSpace(c) || c == UInt8(ascii: "]")) { break }
            switch c {
            case UInt8(ascii: "("): stack.append(UInt8(ascii: ")"))
            case UInt8(ascii: "["): stack.append(UInt8(ascii: "]"))
            case UInt8(ascii: "{"): stack.append(UInt8(ascii: "}"))
            case UInt8(ascii: "<"): stack.append(UInt8(ascii: ">"))
            case UInt8(ascii: ")"), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: ">"):
                if stack.last == c {
                    stack.removeLast()
                } else if c != UInt8(ascii: ">") {
                    throw error("unbalanced '\(Character(UnicodeScalar(c)))' in a parameter value")
                }
            case UInt8(ascii: "\n"): line += 1
            default: break
            }
            pos += 1
        }
        if !stack.isEmpty {
            throw ImportError(
                .syntax, line: startLine, "a parameter value starting here is never closed: the text looks truncated")
        }
    }

    // MARK: Look-ahead

    /// The final `in` is followed by `(`; a variable that happens to be named `in` never is.
    private func isFinalIn() -> Bool {
        var p = pos
        guard p + 2 <= bytes.count, bytes[p] == UInt8(ascii: "i"), bytes[p + 1] == UInt8(ascii: "n") else {
            return false
        }
        p += 2
        if p < bytes.count && isIdentifierByte(bytes[p]) { return false }
        while p < bytes.count && isSpace(bytes[p]) { p += 1 }
        // `in (a, b)` or, in some printers, `in a` followed by '}'.
        if p < bytes.count && bytes[p] == UInt8(ascii: "(") { return true }
        var q = p
        while q < bytes.count && isIdentifierByte(bytes[q]) { q += 1 }
        while q < bytes.count && isSpace(bytes[q]) { q += 1 }
        return q > p && q < bytes.count && bytes[q] == UInt8(ascii: "}")
    }

    /// `name:type [name:type …] =` starts an equation; an operand is never followed by ':' and a
    /// type and then '='.
    private mutating func looksLikeEquationStart() -> Bool {
        if noEquationStart.contains(pos) { return false }
        var probe = self
        while true {
            probe.skipSpace()
            if probe.readIdentifier() == nil || probe.peek() != UInt8(ascii: ":") { break }
            probe.pos += 1
            if (try? probe.parseType()) == nil { break }
            probe.skipSpace()
            if probe.peek() == UInt8(ascii: "=") { return true }
        }
        noEquationStart = pos..<probe.pos
        return false
    }

    /// A primitive name followed at once by its parameters (`pjit[`): an operand is never followed
    /// by '[', so this is an equation without results.
    private func looksLikeResultlessEquation() -> Bool {
        var probe = self
        return probe.readPrimitiveName() != nil && probe.peek() == UInt8(ascii: "[")
    }

    private func lookingAtNestedJaxpr() -> Bool {
        guard peek() == UInt8(ascii: "{") else { return false }
        var p = pos + 1
        while p < bytes.count && isSpace(bytes[p]) { p += 1 }
        let word = Array("lambda".utf8)
        return p + word.count <= bytes.count && Array(bytes[p..<(p + word.count)]) == word
    }

    // MARK: Characters

    var atEnd: Bool { pos >= bytes.count }

    private func peek() -> UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private mutating func skipSpace() {
        while pos < bytes.count && isSpace(bytes[pos]) {
            if bytes[pos] == UInt8(ascii: "\n") { line += 1 }
            pos += 1
        }
    }

    private mutating func expect(_ s: String) throws(ImportError) {
        skipSpace()
        for b in s.utf8 {
            guard peek() == b else { throw error("expected '\(s)', found \(preview())") }
            pos += 1
        }
    }

    private mutating func expectWord(_ word: String) throws(ImportError) {
        skipSpace()
        let save = pos
        guard readIdentifier() == word else {
            pos = save
            throw error("expected '\(word)', found \(preview())")
        }
    }

    private mutating func readIdentifier() -> String? {
        guard let c = peek(), isIdentifierStart(c) else { return nil }
        let start = pos
        while let c = peek(), isIdentifierByte(c) { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// An identifier that may also hold '-' after its first byte: JAX names some primitives so
    /// (`scatter-add`, `scatter-mul`), and such a name must reach the builder whole, to be refused
    /// by name, not read as `scatter` followed by a stray operand.
    private mutating func readPrimitiveName() -> String? {
        guard let c = peek(), isIdentifierStart(c) else { return nil }
        let start = pos
        while let c = peek(), isIdentifierByte(c) || c == UInt8(ascii: "-") { pos += 1 }
        return String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    private mutating func readInteger() -> Int? {
        let start = pos
        while let c = peek(), isDigit(c) { pos += 1 }
        guard pos > start, pos - start < 18 else { return nil }
        return Int(String(decoding: bytes[start..<pos], as: UTF8.self))
    }

    /// A decimal literal: sign, digits, fraction, exponent (`-0.5`, `9.99e-07`, `1e+10`).
    private mutating func readNumber() -> String {
        let start = pos
        if let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { pos += 1 }
        if let c = peek(), isIdentifierStart(c) {
            // -inf, -nan
            _ = readIdentifier()
            return String(decoding: bytes[start..<pos], as: UTF8.self)
        }
        while let c = peek(), isDigit(c) || c == UInt8(ascii: ".") { pos += 1 }
        if let c = peek(), c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            pos += 1
            if let s = peek(), s == UInt8(ascii: "-") || s == UInt8(ascii: "+") { pos += 1 }
            while let c = peek(), isDigit(c) { pos += 1 }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        return Double(text) == nil ? "" : text
    }

    private func foldSpace(_ start: Int, _ end: Int) -> String {
        var out: [UInt8] = []
        var lastSpace = false
        for b in bytes[start..<end] {
            if isSpace(b) {
                if !lastSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                lastSpace = true
            } else {
                out.append(b)
                lastSpace = false
            }
        }
        while out.last == UInt8(ascii: " ") { out.removeLast() }
        return String(decoding: out, as: UTF8.self)
    }

    private func preview() -> String {
        guard pos < bytes.count else { return "the end of the text" }
        let end = min(bytes.count, pos + 24)
        var s = String(decoding: bytes[pos..<end], as: UTF8.self)
        if let nl = s.firstIndex(of: "\n") { s = String(s[..<nl]) }
        return "'\(s)'"
    }

    private func error(_ message: String) -> ImportError {
        ImportError(.syntax, line: line, message)
    }
}

@inline(__always) private func isSpace(_ c: UInt8) -> Bool {
    c == UInt8(ascii: " ") || c == UInt8(ascii: "\n") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r")
}
@inline(__always) private func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
@inline(__always) private func isIdentifierStart(_ c: UInt8) -> Bool {
    (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
        || c == UInt8(ascii: "_")
}
@inline(__always) private func isIdentifierByte(_ c: UInt8) -> Bool {
    isIdentifierStart(c) || isDigit(c) || c == UInt8(ascii: "'")
}
