/*
 * mcp: MCP's JSON-RPC framing over Streamable HTTP in both protocol eras
 * (legacy sessions and 2026-07-28, as the official SDK servers speak them;
 * docs/target.md): the template text of requests (scenarios/plan
 * compiles it once) and the reading of response messages (which id, a
 * notification's method, a JSON-RPC error and its code, a tool error).
 * Stateless; nothing allocates.
 */
#ifndef MCPL_PROTOCOL_MCP_H
#define MCPL_PROTOCOL_MCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/jsc.h"

enum mcp_era {
	MCP_ERA_NONE,	/* the plan has no MCP steps */
	MCP_ERA_LEGACY, /* 2025-03-26 .. 2025-11-25: initialize, sessions */
	MCP_ERA_MODERN, /* 2026-07-28: stateless, _meta and Mcp-* headers */
};

#define MCP_VERSION_MODERN "2026-07-28"
#define MCP_VERSION_LEGACY "2025-11-25" /* the newest legacy version, offered first */
#define MCP_ACCEPT	   "application/json, text/event-stream"

/* What a run learned about the server before the load (core/probe). */
struct mcp_server {
	enum mcp_era era;
	char version[16];     /* the version spoken */
	char server_name[64]; /* serverInfo.name, "" when not given */
	char server_version[32];
	bool stateless;		 /* legacy: initialize gave no Mcp-Session-Id */
	unsigned probe_requests; /* HTTP requests the detection sent */
};

/* The era a protocol version belongs to, MCP_ERA_NONE when we do not speak
 * it. */
enum mcp_era mcp_version_era(const char *v, size_t len);

/* What a request's params hold, by method. */
enum mcp_kind {
	MCP_K_CALL,	   /* tools/call: name, arguments */
	MCP_K_PROMPT,	   /* prompts/get: name, arguments */
	MCP_K_READ,	   /* resources/read: uri */
	MCP_K_PLAIN,	   /* lists, server/discover, anything else: arguments as params */
	MCP_K_PING,	   /* ping: no params (legacy only) */
	MCP_K_INITIALIZE,  /* legacy handshake */
	MCP_K_INITIALIZED, /* notifications/initialized (no id) */
};

enum mcp_kind mcp_kind_of(const char *method);

/* One request to write as template text. Strings are template text too
 * ({{...}} slots pass through); name and args may be NULL. */
struct mcp_req {
	enum mcp_era era;
	const char *method;
	const char *name;    /* tools/call, prompts/get: the name; resources/read: the uri */
	const char *args;    /* a JSON object: arguments (or params for MCP_K_PLAIN); NULL {} */
	const char *id;	     /* the id's text, e.g. "{{rpc_id}}" */
	const char *version; /* legacy: the header's value text; modern: ignored */
	const char *session_line; /* legacy: text of the Mcp-Session-Id header line */
	const char *client_version;
	const char *header_name; /* modern: Mcp-Name's value text; NULL: name, encoded
				    by mcp_name_header when it is not visible ASCII */
};

/*
 * The Mcp-Name header value for a name (2026-07-28): the name itself when
 * every byte is visible ASCII (0x21-0x7e, or inner spaces), else
 * "=?base64?B64?=" of its bytes. Returns the length written (out is
 * terminated), or -1 when cap is too small.
 */
int mcp_name_header(const char *name, size_t len, char *out, size_t cap);

/*
 * The request body / the MCP header lines ("Name: value\r\n" each, Accept
 * included; not Content-Type). Return the length written (buf is
 * terminated), or -1 when cap is too small.
 */
int mcp_body_src(char *buf, size_t cap, const struct mcp_req *r);
int mcp_header_src(char *buf, size_t cap, const struct mcp_req *r);

enum mcp_msg_kind {
	MCP_MSG_RESPONSE,     /* id with result or error */
	MCP_MSG_NOTIFICATION, /* method, no id */
	MCP_MSG_REQUEST,      /* method and id: the server asks us something */
};

/* A JSON-RPC message as read from a response body or an SSE event. Spans
 * point into the caller's buffer. */
struct mcp_msg {
	enum mcp_msg_kind kind;
	struct jsc_val id, method;
	bool has_id;
	bool rpc_error;	 /* an error member */
	int64_t code;	 /* its code (0 when absent or not an integer) */
	bool tool_error; /* result.isError is true */
};

/* Parse one message in one pass. Returns 0, or -1 when p is not a JSON-RPC
 * 2.0 message (malformed JSON, not an object, neither result, error nor
 * method; both result and error; an error without an integer code). */
int mcp_msg_parse(const char *p, size_t len, struct mcp_msg *m);

/*
 * What went wrong, in the server's words, for a response m parsed from
 * p[0..len): "JSON-RPC CODE: MESSAGE" for an error, "tool error: TEXT" for
 * a tool result with isError (its first text content), one line (control
 * bytes made spaces). Returns the length written to out (terminated), 0
 * when m is neither.
 */
size_t mcp_msg_text(const char *p, size_t len, const struct mcp_msg *m, char *out, size_t cap);

/* The message's id is the integer id (as a number or its decimal string). */
bool mcp_msg_id_is(const struct mcp_msg *m, uint64_t id);

#endif
