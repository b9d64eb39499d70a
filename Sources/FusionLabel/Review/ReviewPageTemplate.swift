/// The review page's HTML, CSS and script. It reads the outline `window.REVIEW_DATA`
/// (review-data.js), loads a frame's content (`frames/<index>.js`, into `window.REVIEW_FRAMES`)
/// when the frame is shown, keeping the 20 nearest, and draws with 2D canvases; the 3D view uses
/// three.js when it was copied next to the page.
///
/// For tests and scripts, the body carries what was drawn: `data-ready`, `data-frame` (position),
/// `data-bev-boxes`, `data-camera-boxes` (JSON: camera → boxes drawn), `data-scene-boxes` (3D),
/// `data-errors` (script errors caught); `data-ready` is 1 once the frame shown is drawn. `#frame=N`
/// in the address opens frame position N.
enum ReviewPageTemplate {
    static func html(title: String, with3D: Bool) -> String {
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        let threeScripts =
            with3D ? "<script src=\"three.min.js\"></script>\n<script src=\"OrbitControls.js\"></script>\n" : ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Review: \(escaped)</title>
            <style>\(css)</style>
            <script>
            window.REVIEW_ERRORS = [];
            window.REVIEW_FRAMES = {};
            window.addEventListener('error', function (event) {
              window.REVIEW_ERRORS.push(String(event.message));
              if (document.body) { document.body.dataset.errors = String(window.REVIEW_ERRORS.length); }
            });
            </script>
            </head>
            <body data-ready="0" data-errors="0">
            <header>
              <h1>Review: \(escaped)</h1>
              <button id="play" type="button">Play</button>
              <input id="slider" type="range" min="0" value="0" step="1" aria-label="frame">
              <span id="frame-label"></span>
              <span id="counts"></span>
            </header>
            <main>
              <section id="views">
                <figure><canvas id="bev" width="640" height="640"></canvas><figcaption>Bird's-eye view (x forward, up the page)</figcaption></figure>
                <figure id="scene3d-figure"><div id="scene3d"></div><figcaption id="scene3d-caption">3D view: drag to turn, wheel to zoom</figcaption></figure>
                <div id="cameras"></div>
              </section>
              <aside>
                <h2>Labels in this frame</h2>
                <ol id="labels"></ol>
                <h2>Findings</h2>
                <ol id="findings"></ol>
              </aside>
            </main>
            <pre id="errors" hidden></pre>
            <script src="review-data.js"></script>
            \(threeScripts)<script>\(script)</script>
            </body>
            </html>

            """
    }

    /// The page's style sheet (Resources/review.css, embedded at build time).
    static let css = text(PackageResources.review_css)

    /// The page's script (Resources/review.js, embedded at build time): draws the frame shown from
    /// `window.REVIEW_DATA` and `window.REVIEW_FRAMES`.
    static let script = text(PackageResources.review_js)

    /// A text resource without the final newline its file ends with.
    private static func text(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
