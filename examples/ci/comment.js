#!/usr/bin/env node
// comment.js — the CI kit's pull/merge request comment: every stack's summary (the files preview.sh
// wrote, given as arguments) in one comment, updated in place on each push rather than added again.
// Copy it to ci/comment.js beside ci/preview.sh; the two workflows run it after their preview jobs.
//
//   node ci/comment.js pulumi-preview-dev.md pulumi-preview-prod.md …
//
// Where it posts, from the job's environment:
//   * GitHub: GITHUB_TOKEN (with pull-requests: write), GITHUB_API_URL, GITHUB_REPOSITORY and
//     PR_NUMBER: an issue comment on the pull request.
//   * GitLab: GITLAB_API_TOKEN (a project access token with the api scope), CI_API_V4_URL,
//     CI_PROJECT_ID and CI_MERGE_REQUEST_IID: a note on the merge request.
// The comment is found again by a marker it starts with (among the request's first 2000 comments),
// and edited; without one, it is created. Exit status: 0 when posted, 2 for missing settings or
// files, 1 when the API refused (its status and message are printed, never the token).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const MARKER = "<!-- pulumi-aep-flow ci-kit comment -->";
/** GitHub refuses a comment over 65536 characters; GitLab's limit is larger, the same cut suits both. */
const MAX_BODY = 65000;
const PAGE_SIZE = 100;
const MAX_PAGES = 20;

function fail(code, message) {
  process.stderr.write(`comment: ${message}\n`);
  process.exit(code);
}

function need(name) {
  const value = process.env[name];
  if (!value) fail(2, `${name} is not set: ${HELP}`);
  return value;
}

const HELP =
  "set GITHUB_TOKEN, GITHUB_API_URL, GITHUB_REPOSITORY and PR_NUMBER (GitHub), or GITLAB_API_TOKEN, CI_API_V4_URL, CI_PROJECT_ID and CI_MERGE_REQUEST_IID (GitLab)";

/** The comment: a header, then each stack's summary; the step outputs are dropped when it would be too long. */
function body(files) {
  const parts = files.map((f) => fs.readFileSync(f, "utf8").trim());
  const head = `${MARKER}\n# Pulumi: ${files.length} stack${files.length === 1 ? "" : "s"}\n\nUpdated for ${process.env.GITHUB_SHA || process.env.CI_COMMIT_SHA || "this push"}.\n\n`;
  let text = head + parts.join("\n\n---\n\n");
  if (text.length > MAX_BODY) {
    const short = parts.map((p) => p.replace(/<details[\s\S]*?<\/details>\s*/g, ""));
    text = `${head}Each step's output is in the job's summary and artifacts (too long for one comment).\n\n${short.join("\n\n---\n\n")}`;
  }
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}\n\n(cut: too long for one comment)` : text;
}

function target() {
  if (process.env.GITHUB_TOKEN || process.env.GITHUB_REPOSITORY) {
    const api = need("GITHUB_API_URL").replace(/\/$/, "");
    const repo = need("GITHUB_REPOSITORY");
    const pr = need("PR_NUMBER");
    const headers = { authorization: `Bearer ${need("GITHUB_TOKEN")}`, accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28" };
    return {
      headers,
      list: (page) => `${api}/repos/${repo}/issues/${pr}/comments?per_page=${PAGE_SIZE}&page=${page}`,
      create: { method: "POST", url: `${api}/repos/${repo}/issues/${pr}/comments` },
      update: (id) => ({ method: "PATCH", url: `${api}/repos/${repo}/issues/comments/${id}` }),
    };
  }
  const api = need("CI_API_V4_URL").replace(/\/$/, "");
  const project = encodeURIComponent(need("CI_PROJECT_ID"));
  const mr = need("CI_MERGE_REQUEST_IID");
  const notes = `${api}/projects/${project}/merge_requests/${mr}/notes`;
  return {
    headers: { "private-token": need("GITLAB_API_TOKEN") },
    list: (page) => `${notes}?per_page=${PAGE_SIZE}&page=${page}&sort=asc&order_by=created_at`,
    create: { method: "POST", url: notes },
    update: (id) => ({ method: "PUT", url: `${notes}/${id}` }),
  };
}

async function call(t, method, url, payload) {
  const res = await fetch(url, {
    method,
    headers: { ...t.headers, ...(payload ? { "content-type": "application/json" } : {}) },
    body: payload ? JSON.stringify(payload) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) fail(1, `${method} ${new URL(url).pathname}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

async function main() {
  const files = process.argv.slice(2).sort((a, b) => path.basename(a).localeCompare(path.basename(b)));
  if (files.length === 0) fail(2, "no summary files given: pass the files preview.sh wrote (SUMMARY_FILE), one per stack");
  for (const f of files) if (!fs.existsSync(f)) fail(2, `${f}: no such file (did the stack's preview job run?)`);
  const t = target();
  const text = body(files);
  let found;
  for (let page = 1; page <= MAX_PAGES && !found; page++) {
    const items = await call(t, "GET", t.list(page));
    if (!Array.isArray(items)) fail(1, "the comment listing is not an array");
    found = items.find((c) => typeof c.body === "string" && c.body.startsWith(MARKER));
    if (items.length < PAGE_SIZE) break;
  }
  const { method, url } = found ? t.update(found.id) : t.create;
  const posted = await call(t, method, url, { body: text });
  process.stdout.write(`comment: ${found ? "updated" : "created"} comment ${posted && posted.id} (${files.length} stacks)\n`);
}

main().catch((e) => fail(1, e instanceof Error ? e.message : String(e)));
