// Cold start baseline: a Node process that does nothing.
const ms = performance.now();
console.log(JSON.stringify({ ms, work_ms: 0, max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
