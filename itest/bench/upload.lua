-- wrk script: POST a 10 MiB body.
wrk.method = "POST"
wrk.body = string.rep("u", 10 * 1024 * 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
