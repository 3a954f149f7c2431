extension RuleExpression: CustomStringConvertible {
    /// The canonical form: every operator application in parentheses, keywords in upper case,
    /// `==` as `=`, `<>` as `!=`, durations in their largest exact unit, `in` windows as `count()`.
    ///
    /// `(isp_link AND (packet_loss > 5%))`, `(count(status_changes, 5m) >= 3)`.
    public var description: String {
        switch kind {
        case .number(let value): RuleFormatting.number(value)
        case .percent(let value): RuleFormatting.number(value) + "%"
        case .duration(let seconds): RuleFormatting.duration(seconds)
        case .string(let text): RuleFormatting.string(text)
        case .boolean(let value): value ? "TRUE" : "FALSE"
        case .variable(let name): name
        case .unary(.negate, let operand): "(-\(operand))"
        case .unary(.not, let operand): "(NOT \(operand))"
        case .arithmetic(let op, let lhs, let rhs): "(\(lhs) \(op.rawValue) \(rhs))"
        case .comparison(let op, let lhs, let rhs): "(\(lhs) \(op.rawValue) \(rhs))"
        case .logical(let op, let lhs, let rhs): "(\(lhs) \(op.rawValue) \(rhs))"
        case .like(let subject, let pattern, let negated):
            "(\(subject) \(negated ? "NOT LIKE" : "LIKE") \(RuleFormatting.string(pattern)))"
        case .call(let function, let argument, let window):
            if let window {
                "\(function.rawValue)(\(argument), \(RuleFormatting.duration(window)))"
            } else {
                "\(function.rawValue)(\(argument))"
            }
        }
    }
}
