import OutpostRules

extension RuleExpression {
    /// The longest window (seconds) any window function in the expression looks back over; 0 when none.
    var longestWindow: Double {
        switch kind {
        case .number, .percent, .duration, .string, .boolean, .variable:
            return 0
        case .unary(_, let operand), .like(let operand, _, _):
            return operand.longestWindow
        case .arithmetic(_, let lhs, let rhs), .comparison(_, let lhs, let rhs), .logical(_, let lhs, let rhs):
            return Swift.max(lhs.longestWindow, rhs.longestWindow)
        case .call(_, let argument, let window):
            return Swift.max(window ?? 0, argument.longestWindow)
        }
    }
}
