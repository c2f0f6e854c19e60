package org.govshare.platform.http;

/** A self-contained API page: no CDN, since county networks are often closed to the internet. */
final class Docs {
  private Docs() {}

  static final String PAGE = """
      <!doctype html>
      <html lang="zh-CN"><head><meta charset="utf-8"><title>govshare API</title>
      <style>
       body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#222}
       h2{border-bottom:1px solid #ccc;margin-top:2rem} .op{margin:.6rem 0;padding:.5rem .8rem;border:1px solid #ddd;border-radius:6px}
       .m{display:inline-block;min-width:4.5rem;font-weight:bold} .GET{color:#1565c0}.POST{color:#2e7d32}.PUT{color:#ef6c00}.DELETE{color:#c62828}
       code,pre{background:#f5f5f5;padding:.1rem .3rem;border-radius:3px} pre{padding:.6rem;overflow:auto;max-height:20rem}
       details summary{cursor:pointer}
      </style></head><body>
      <h1>govshare API</h1>
      <p>The full contract: <a href="/openapi.yaml">/openapi.yaml</a> (OpenAPI 3.1) · <a href="/openapi.json">/openapi.json</a>.
      Get a token with <code>POST /api/v1/auth/token</code> and send it as <code>Authorization: Bearer …</code>.</p>
      <div id="ops">loading…</div>
      <script>
      fetch('/openapi.json').then(r => r.json()).then(api => {
        const byTag = {};
        for (const [path, item] of Object.entries(api.paths || {})) {
          for (const [method, op] of Object.entries(item)) {
            if (!op || typeof op !== 'object' || !op.operationId) continue;
            const tag = (op.tags && op.tags[0]) || 'other';
            (byTag[tag] = byTag[tag] || []).push({path, method: method.toUpperCase(), op});
          }
        }
        const esc = s => String(s ?? '').replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
        let html = '';
        for (const [tag, ops] of Object.entries(byTag)) {
          html += '<h2>' + esc(tag) + '</h2>';
          for (const {path, method, op} of ops) {
            const params = (op.parameters || []).map(p => p.$ref ? p.$ref.split('/').pop() : p.name + ' (' + p.in + ')').join(', ');
            const body = op.requestBody ? JSON.stringify(op.requestBody.content, null, 2) : '';
            html += '<div class="op"><span class="m ' + method + '">' + method + '</span> <code>' + esc(path) + '</code> — '
              + esc(op.summary) + (params ? '<br><small>parameters: ' + esc(params) + '</small>' : '')
              + (op.description ? '<p>' + esc(op.description) + '</p>' : '')
              + (body ? '<details><summary>request body</summary><pre>' + esc(body) + '</pre></details>' : '')
              + '<small>responses: ' + esc(Object.keys(op.responses || {}).join(', ')) + '</small></div>';
          }
        }
        document.getElementById('ops').innerHTML = html;
      });
      </script></body></html>
      """;
}
