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

    @Test("each hour's baseline: the median of its means, the MAD of its and its neighbours' deviations")
    func pooledDirectComputation() {
        var generator = SeededGenerator(seed: 19)
        let learning = BaselineLearning(weeks: 4, neighbourHours: 1, minimumSamples: 3)
        var means: [(hour: Int, value: Double)] = []
        for _ in 0..<4 {
            for hour in 0..<HourOfWeek.count {
                means.append((hour, Double(hour % 24) + Double.random(in: 0..<5, using: &generator)))
            }
        }
        let learned = learning.baselines(from: means, for: 0..<HourOfWeek.count)
        #expect(learned.count == HourOfWeek.count)
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.count % 2 == 1
                ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        }
        func values(_ hour: Int) -> [Double] { means.filter { $0.hour == hour }.map(\.value) }
        for hour in [0, 1, 50, 167] {
            let own = values(hour)
            #expect(own.count == 4)
            let deviations = [(hour + 167) % 168, hour, (hour + 1) % 168].flatMap { neighbour in
                let level = median(values(neighbour))
                return values(neighbour).map { abs($0 - level) }
            }
            #expect(deviations.count == 12)
            #expect(
                learned[hour] == RuleBaseline(median: median(own), mad: median(deviations), samples: 4), "hour \(hour)")
        }
    }

    @Test("a weekly event in one hour is learned as that hour's median, not smoothed into its neighbours")
    func sharpWeeklyEvent() throws {
        let learning = BaselineLearning()
        // Hours 49 to 51 at 10, 11, 10, 12 over four weeks; hour 50 (Wednesday 02:00) at 40, 41, 40, 42.
        let levels = [49: 10.0, 50: 40, 51: 10]
        let means = levels.flatMap { hour, level in [0.0, 1, 0, 2].map { (hour: hour, value: level + $0) } }
        let backup = try #require(learning.baselines(from: means, for: [50])[50])
        #expect(backup.median == 40.5 && backup.mad == 0.5 && backup.samples == 4)
        #expect(backup.score(41) < 1)
    }

    @Test("an hour with fewer hourly means than the minimum has no baseline, not a baseline of zero")
    func tooLittleHistory() {
        let learning = BaselineLearning(weeks: 4, neighbourHours: 1, minimumSamples: 3)
        // Two weeks of hour 10, three of hour 11.
        let means: [(hour: Int, value: Double)] = [(10, 5), (10, 6), (11, 7), (11, 8), (11, 9)]
        let learned = learning.baselines(from: means, for: 0..<HourOfWeek.count)
        #expect(Array(learned.keys) == [11])
        #expect(
            learned[11] == RuleBaseline(median: 8, mad: 1, samples: 3), "hour 10 is too short to count as a neighbour")
        #expect(learning.baselines(from: Array(means.prefix(4)), for: 0..<HourOfWeek.count).isEmpty)
        #expect(WeeklyBaseline(learned)[11] == learned[11] && WeeklyBaseline(learned)[10] == nil)
        #expect(WeeklyBaseline().isEmpty && !WeeklyBaseline(learned).isEmpty)
    }
}
