/* pq.h: libpq, loaded when the first PostgreSQL connection is opened. A server on SQLite never
   maps it, nor the Kerberos, LDAP and GnuTLS libraries it pulls in (3.3 MiB of its memory).
   Included by pg.c only, after <libpq-fe.h>: the calls below go through the loaded table. */
#ifndef MEND_DB_PQ_H
#define MEND_DB_PQ_H
#include <libpq-fe.h>
#include <stddef.h>

#define PQ_FUNCS(X)                                                                                                    \
  X(PQclear) X(PQstatus) X(PQresultStatus) X(PQexec) X(PQresultErrorMessage) X(PQgetisnull) X(PQgetResult)           \
  X(PQsendQueryPrepared) X(PQresultErrorField) X(PQgetvalue) X(PQfinish) X(PQerrorMessage) X(PQenterPipelineMode)    \
  X(PQsetNoticeProcessor) X(PQprepare) X(PQpipelineSync) X(PQntuples) X(PQgetlength) X(PQftype)                       \
  X(PQexitPipelineMode) X(PQexecPrepared) X(PQcmdTuples) X(PQsendQueryParams) X(PQsendQuery) X(PQreset)              \
  X(PQnfields) X(PQconnectdbParams) X(PQcmdStatus)

struct pq_api {
#define PQ_FIELD(f) __typeof__(f) *f;
  PQ_FUNCS(PQ_FIELD)
#undef PQ_FIELD
};
extern struct pq_api pq;

/* 0 once libpq is loaded (the first call loads it; safe from any thread), else -1 with why. */
int pq_load(char *err, size_t errlen);

#ifndef PQ_NO_MACROS
#define PQclear pq.PQclear
#define PQstatus pq.PQstatus
#define PQresultStatus pq.PQresultStatus
#define PQexec pq.PQexec
#define PQresultErrorMessage pq.PQresultErrorMessage
#define PQgetisnull pq.PQgetisnull
#define PQgetResult pq.PQgetResult
#define PQsendQueryPrepared pq.PQsendQueryPrepared
#define PQresultErrorField pq.PQresultErrorField
#define PQgetvalue pq.PQgetvalue
#define PQfinish pq.PQfinish
#define PQerrorMessage pq.PQerrorMessage
#define PQenterPipelineMode pq.PQenterPipelineMode
#define PQsetNoticeProcessor pq.PQsetNoticeProcessor
#define PQprepare pq.PQprepare
#define PQpipelineSync pq.PQpipelineSync
#define PQntuples pq.PQntuples
#define PQgetlength pq.PQgetlength
#define PQftype pq.PQftype
#define PQexitPipelineMode pq.PQexitPipelineMode
#define PQexecPrepared pq.PQexecPrepared
#define PQcmdTuples pq.PQcmdTuples
#define PQsendQueryParams pq.PQsendQueryParams
#define PQsendQuery pq.PQsendQuery
#define PQreset pq.PQreset
#define PQnfields pq.PQnfields
#define PQconnectdbParams pq.PQconnectdbParams
#define PQcmdStatus pq.PQcmdStatus
#endif
#endif
