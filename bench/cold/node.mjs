// Cold start baseline: a Node process that does nothing.
console.log(JSON.stringify({ ms: performance.now(), max_rss_mb: process.resourceUsage().maxRSS / 1024 }));
