import Hummingbird
import NIOCore
import OutpostConsole

/// `/static/{file}`: the console's style sheet, script, font and map outline, embedded in the
/// binary. Public (the login page needs them), revalidated by entity tag.
struct StaticRoutes: Sendable {
    func register(on router: Router<OperatorRequestContext>) {
        router.get("static/:file") { request, context -> Response in
            guard let name = context.parameters.get("file"), let asset = ConsoleAssets.asset(name) else {
                return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"])
            }
            if request.headers[.ifNoneMatch] == asset.entityTag {
                return Response(status: .notModified, headers: [.eTag: asset.entityTag])
            }
            return Response(
                status: .ok,
                headers: [
                    .contentType: asset.contentType, .eTag: asset.entityTag, .cacheControl: "no-cache",
                    .xContentTypeOptions: "nosniff",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
    }
}
