import Hummingbird

/// `/healthz` (the process serves HTTP) and `/readyz` (PostgreSQL reachable, schema current).
struct HealthRoutes: Sendable {
    private struct Alive: Encodable {
        let status = "ok"
    }

    let readiness: ReadinessProbe

    func register(on router: Router<OperatorRequestContext>) {
        router.get("healthz") { _, _ in
            JSONResponse.make(Alive())
        }
        let readiness = self.readiness
        router.get("readyz") { _, _ in
            let report = await readiness.check()
            return JSONResponse.make(report, status: report.isReady ? .ok : .serviceUnavailable)
        }
    }
}
