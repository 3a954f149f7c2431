/// Evaluates compiled rule code against a context. Allocation-free: it walks the code, looks
/// each variable's series up by name, binary-searches windows and reads samples in place.
struct RuleEvaluator<Context: RuleContext> {
    let context: Context
    /// Variable names by slot.
    let names: [String]
    /// While counting the samples that satisfy a condition: the counted variable and the sample
    /// under test, which stands for that variable's value.
    private var binding: (slot: Int, value: RuleValue)?

    init(context: Context, names: [String]) {
        self.context = context
        self.names = names
    }

    func condition(_ code: ConditionCode) -> RuleOutcome {
        switch code {
        case .constant(let value):
            return RuleOutcome(value)
        case .variable(let slot):
            guard case .boolean(let value)? = last(slot) else { return .unknown }
            return RuleOutcome(value)
        case .not(let operand):
            return condition(operand).negated
        case .logical(.and, let lhs, let rhs):
            let left = condition(lhs)
            if left == .false { return .false }
            let right = condition(rhs)
            if right == .false { return .false }
            return left == .true && right == .true ? .true : .unknown
        case .logical(.or, let lhs, let rhs):
            let left = condition(lhs)
            if left == .true { return .true }
            let right = condition(rhs)
            if right == .true { return .true }
            return left == .false && right == .false ? .false : .unknown
        case .compareNumbers(let op, let lhs, let rhs):
            guard let left = number(lhs), let right = number(rhs) else { return .unknown }
            return RuleOutcome(Self.compare(op, left, right))
        case .compareStrings(let equal, let lhs, let rhs):
            guard let left = string(lhs), let right = string(rhs) else { return .unknown }
            return RuleOutcome((left == right) == equal)
        case .compareConditions(let equal, let lhs, let rhs):
            let left = condition(lhs)
            let right = condition(rhs)
            guard left != .unknown, right != .unknown else { return .unknown }
            return RuleOutcome((left == right) == equal)
        case .like(let subject, let pattern, let negated):
            guard let text = string(subject) else { return .unknown }
            return RuleOutcome(pattern.matches(text) != negated)
        }
    }

    func number(_ code: NumberCode) -> Double? {
        switch code {
        case .constant(let value):
            return value
        case .variable(let slot):
            guard case .number(let value)? = last(slot) else { return nil }
            return value
        case .window(let function, let slot, let seconds):
            guard let samples = context.samples(of: names[slot]) else { return nil }
            return SampleWindow.apply(
                function, to: samples[SampleWindow.range(of: samples, seconds: seconds, endingAt: context.now)])
        case .countWhere(let predicate, let slot, let seconds):
            guard let samples = context.samples(of: names[slot]) else { return nil }
            var counter = self
            var count = 0
            for sample in samples[SampleWindow.range(of: samples, seconds: seconds, endingAt: context.now)] {
                counter.binding = (slot, sample.value)
                if counter.condition(predicate) == .true { count += 1 }
            }
            return Double(count)
        case .baseline(let slot):
            return context.baseline(of: names[slot], at: context.now)?.median
        case .anomaly(let slot, let seconds):
            guard let baseline = context.baseline(of: names[slot], at: context.now) else { return nil }
            if let seconds {
                guard let samples = context.samples(of: names[slot]) else { return nil }
                let window = samples[SampleWindow.range(of: samples, seconds: seconds, endingAt: context.now)]
                return SampleWindow.apply(.avg, to: window).map(baseline.score)
            }
            guard case .number(let value)? = last(slot) else { return nil }
            return baseline.score(value)
        case .negate(let operand):
            return number(operand).map { -$0 }
        case .arithmetic(let op, let lhs, let rhs):
            guard let left = number(lhs), let right = number(rhs) else { return nil }
            switch op {
            case .add: return left + right
            case .subtract: return left - right
            case .multiply: return left * right
            case .divide: return right == 0 ? nil : left / right
            }
        }
    }

    func string(_ code: StringCode) -> String? {
        switch code {
        case .constant(let text):
            return text
        case .variable(let slot):
            guard case .string(let text)? = last(slot) else { return nil }
            return text
        }
    }

    /// The variable's value: the sample under test while counting, else its last sample at or before now.
    private func last(_ slot: Int) -> RuleValue? {
        if let binding, binding.slot == slot { return binding.value }
        guard let samples = context.samples(of: names[slot]) else { return nil }
        let end = SampleWindow.firstIndex(of: samples, after: context.now)
        guard end != samples.startIndex else { return nil }
        return samples[samples.index(before: end)].value
    }

    private static func compare(_ op: ComparisonOperator, _ left: Double, _ right: Double) -> Bool {
        switch op {
        case .equal: left == right
        case .notEqual: left != right
        case .less: left < right
        case .lessOrEqual: left <= right
        case .greater: left > right
        case .greaterOrEqual: left >= right
        }
    }
}
