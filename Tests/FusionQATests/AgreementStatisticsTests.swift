import Testing

@testable import FusionQA

/// Hand-worked cases of the two chance-corrected agreement measures.
@Suite struct AgreementStatisticsTests {
    /// 10 items, 8 agreements; each rater says car five times: pₒ = 0.8, pₑ = 0.5, κ = 0.6.
    @Test func cohensKappaOfAHandWorkedCase() throws {
        let a = ["c", "c", "c", "c", "c", "p", "p", "p", "p", "p"]
        let b = ["c", "c", "c", "c", "p", "p", "p", "p", "p", "c"]
        let kappa = try #require(AgreementStatistics.cohensKappa(Array(zip(a, b))))
        #expect(abs(kappa - 0.6) < 1e-12)
        #expect(AgreementStatistics.cohensKappa(Array(zip(a, a))) == 1)
        #expect(AgreementStatistics.cohensKappa([("c", "c"), ("c", "c")]) == nil)
    }

    /// Units (a,a) (a,b) (b,b) (b,b): coincidences o_aa = 2, o_ab = o_ba = 1, o_bb = 4; n_a = 3,
    /// n_b = 5, n = 8; Dₒ = 2/8, Dₑ = 2·3·5 / (8·7); α = 1 − Dₒ/Dₑ = 8/15.
    @Test func krippendorffsAlphaOfAHandWorkedCase() throws {
        let alpha = try #require(
            AgreementStatistics.krippendorffsAlpha([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]]))
        #expect(abs(alpha - 8.0 / 15) < 1e-12)
        // Three raters, a missing value, and a unit with one value (which does not count).
        #expect(AgreementStatistics.krippendorffsAlpha([["a", "a", "a"], ["b", "b"], ["c"]]) == 1)
        #expect(AgreementStatistics.krippendorffsAlpha([["a", "a"]]) == nil)
    }
}
