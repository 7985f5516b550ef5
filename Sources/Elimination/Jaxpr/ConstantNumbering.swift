/// The order in which a program's closed-over constants are numbered, the order a `--constants`
/// file lists their values in (Docs/COST_MODEL.md §1, and `Python/ccelim_jax.py`'s `constants`,
/// which walks a `ClosedJaxpr` the same way):
///
/// 1. the jaxpr's own constants (the names before its `;`), in order;
/// 2. then, equation by equation, the parameters in the order of their names (as Python's
///    `sorted(eqn.params)`), and in each parameter its jaxprs in order (a tuple's entries, a named
///    tuple's fields without the `None`s), each jaxpr numbered by these same rules, depth first.
///
/// A body that occurs several times (a shared jaxpr named by two parameters) is numbered at each
/// occurrence, as the Python walk meets it again; a body inlined several times from one occurrence
/// (an unrolled loop) reads the same constants each time. The numbering is a walk of the text, not of
/// what ccelim does with it: constants of bodies that are never inlined (a custom_jvp rule's body)
/// are numbered too and are simply unused.
enum ConstantNumbering {
    /// Numbers every constant binder of `syntax` and the jaxprs nested in it (setting
    /// `JaxprBinder.constant`); returns the binders in that order.
    static func number(_ syntax: inout JaxprSyntax) -> [JaxprBinder] {
        var binders: [JaxprBinder] = []
        number(&syntax, into: &binders)
        return binders
    }

    private static func number(_ syntax: inout JaxprSyntax, into binders: inout [JaxprBinder]) {
        for k in syntax.constants.indices {
            syntax.constants[k].constant = binders.count
            binders.append(syntax.constants[k])
        }
        for e in syntax.equations.indices {
            let byName = syntax.equations[e].params.indices.sorted {
                syntax.equations[e].params[$0].key.unicodeScalars.lexicographicallyPrecedes(
                    syntax.equations[e].params[$1].key.unicodeScalars)
            }
            for p in byName {
                if syntax.equations[e].params[p].jaxpr != nil {
                    number(&syntax.equations[e].params[p].jaxpr!, into: &binders)
                }
                for j in syntax.equations[e].params[p].jaxprs.indices {
                    number(&syntax.equations[e].params[p].jaxprs[j], into: &binders)
                }
            }
        }
    }
}
