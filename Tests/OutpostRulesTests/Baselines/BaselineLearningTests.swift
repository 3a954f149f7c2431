import OutpostRules
import OutpostTestSupport
import Testing

@Suite("Baselines: median and MAD per hour of week")
struct BaselineLearningTests {
    @Test("median and MAD of small lists")
    func robustEstimate() throws {
        #expect(RobustEstimate.median([]) == nil)
        #expect(RobustEstimate.median([3]) == 3)
        #expect(RobustEstimate.median([4, 1, 3, 2]) == 2.5)
        // |x - 3| = 2, 1, 0, 1, 97: MAD 1; the outlier moves neither.
        let estimate = try #require(RobustEstimate.medianAndMAD([1, 2, 3, 4, 100]))
        #expect(estimate.median == 3 && estimate.mad == 1)
    }

    @Test("each hour's baseline is the median and MAD of its and its neighbours' hourly means")
    func pooledDirectComputation() {
        var generator = SeededGenerator(seed: 19)
        let learning = BaselineLearning(weeks: 4, neighbourHours: 1, minimumSamples: 6)
        var means: [(hour: Int, value: Double)] = []
        for _ in 0..<4 {
            for hour in 0..<HourOfWeek.count {
                means.append((hour, Double(hour % 24) + Double.random(in: 0..<5, using: &generator)))
            }
        }
        let learned = learning.baselines(from: means, for: 0..<HourOfWeek.count)
        #expect(learned.count == HourOfWeek.count)
        for hour in [0, 1, 50, 167] {
            let around = [(hour + 167) % 168, hour, (hour + 1) % 168]
            let values = means.filter { around.contains($0.hour) }.map(\.value).sorted()
            #expect(values.count == 12)
            let median = (values[5] + values[6]) / 2
            let deviations = values.map { abs($0 - median) }.sorted()
            let mad = (deviations[5] + deviations[6]) / 2
            #expect(learned[hour] == RuleBaseline(median: median, mad: mad, samples: 12), "hour \(hour)")
        }
    }

    @Test("an hour with fewer hourly means than the minimum has no baseline, not a baseline of zero")
    func tooLittleHistory() {
        let learning = BaselineLearning(weeks: 4, neighbourHours: 1, minimumSamples: 6)
        // Five means around hour 10 (hours 9 to 11), none elsewhere.
        let means: [(hour: Int, value: Double)] = [(9, 5), (10, 5), (10, 6), (11, 7), (11, 8)]
        #expect(learning.baselines(from: means, for: 0..<HourOfWeek.count).isEmpty)
        let sixth = learning.baselines(from: means + [(12, 9), (12, 10)], for: 0..<HourOfWeek.count)
        #expect(Array(sixth.keys) == [11], "hour 11 pools 10, 11 and 12: six means")
        #expect(sixth[11]?.samples == 6)
        #expect(WeeklyBaseline(sixth)[11] == sixth[11] && WeeklyBaseline(sixth)[10] == nil)
        #expect(WeeklyBaseline().isEmpty && !WeeklyBaseline(sixth).isEmpty)
    }
}
