/*
 * rdump_maps: everything rdump knows about /proc. Parses /proc/self/maps
 * lines, decides which mappings are captured, reads the RSS.
 *
 * Nothing here allocates: lines are read through a caller-provided buffer
 * and a parsed mapping points into that buffer. All functions are safe on
 * the memory_limit path (no Zend allocator, no malloc).
 */
#ifndef RDUMP_MAPS_H
#define RDUMP_MAPS_H

#include <stddef.h>
#include <stdint.h>

/* A byte range inside someone else's buffer; not NUL-terminated. */
typedef struct {
	const char *ptr;
	size_t len;
} rdump_span;

/* One VMA as the kernel printed it. The spans keep the kernel's tokens
 * verbatim (the dump must carry them exactly); the integers are parsed
 * from them. Valid only as long as the buffer the line came from. */
typedef struct {
	uint64_t start, end, offset, inode;
	unsigned char read, write, exec, private_;
	/* From smaps' VmFlags: MADV_DONTDUMP ("dd"), device memory ("io"). */
	unsigned char dontdump, io;
	/* From smaps' "Swap:" line, in bytes (0 without smaps). For shared
	 * memory the kernel counts every swapped-out page of the mapping's
	 * range, whoever touched it. */
	uint64_t swap;
	rdump_span start_hex, end_hex, offset_hex, device, name;
} rdump_vma;

/* What to capture, see rdump_maps_wanted(). */
#define RDUMP_CAPTURE_FULL 0x1          /* also read-only file mappings */
#define RDUMP_CAPTURE_DONTDUMP 0x2      /* also MADV_DONTDUMP mappings */
#define RDUMP_CAPTURE_WHOLE 0x4         /* whole mappings, not resident pages */
#define RDUMP_CAPTURE_SAFE_READ 0x8     /* copy through /proc/self/mem */
#define RDUMP_CAPTURE_FORKED 0x20       /* in a snapshot child: see rdump_pagemap_runs */

/* Parse one line of /proc/<pid>/maps (without its newline).
 * Returns 0 on success, -1 if the line is malformed. Pure function. */
int rdump_maps_parse_line(const char *line, size_t len, rdump_vma *out);

/* Parse bare lowercase hex (as /proc prints it) of 1 to 16 digits.
 * Returns 0, or -1 if the span is not that. Pure function. */
int rdump_maps_parse_hex(rdump_span s, uint64_t *out);

/* Does the span hold exactly the text lit? Pure function. */
int rdump_maps_span_eq(rdump_span s, const char *lit);

/* Decimal digits only, up to UINT64_MAX. 0 and *out set, or -1. */
int rdump_maps_parse_dec(rdump_span s, uint64_t *out);

/* Does a dump with these RDUMP_CAPTURE_* flags capture this mapping's bytes?
 * Readable mappings that are writable, anonymous or shared memory; every
 * readable one with RDUMP_CAPTURE_FULL; never the kernel's vvar/vdso/
 * vsyscall pages, device memory, or (unless RDUMP_CAPTURE_DONTDUMP)
 * mappings marked MADV_DONTDUMP. Pure function. */
int rdump_maps_wanted(const rdump_vma *vma, int flags);

/* Is the mapping backed by pages of a file the analyser can read itself
 * (a read-only, private view of a named file)? Pure function. */
int rdump_maps_file_backed_ro(const rdump_vma *vma);

/* Does the mapping hold shared memory (opcache's SHM, memfd, SysV, /dev/shm)?
 * Its pages can be resident without being mapped in this process. */
int rdump_maps_shared_memory(const rdump_vma *vma);

/* Is the mapping anonymous memory (no name, [heap], [stack], [anon:...])? */
int rdump_maps_anonymous(const rdump_vma *vma);

/* Open a /proc file read-only and close-on-exec, retrying on EINTR: a
 * descriptor, or -1 with errno set. */
int rdump_maps_open_proc(const char *path);

/* Reads /proc/self/smaps or /proc/self/maps one mapping at a time
 * through buf, which must hold the longest line:
 * use RDUMP_MAPS_LINE_MAX. */
#define RDUMP_MAPS_LINE_MAX 8192
typedef struct {
	int fd;
	char *buf;
	size_t size, start, end;
	int eof;
	int have_current;
	uint64_t last_end;              /* end of the mapping returned last */
	unsigned char dontdump, io;
	uint64_t swap;
	size_t current_len;
	char current[RDUMP_MAPS_LINE_MAX]; /* header line of the mapping returned */
} rdump_maps_reader;

/* Open /proc/self/smaps (smaps 1: VmFlags and Swap: too) or
 * /proc/self/maps (0: much cheaper to read, without them). Returns 0,
 * or -1 with errno set. */
int rdump_maps_open(rdump_maps_reader *r, char *buf, size_t size, int smaps);
/* Next mapping: 1 and *out filled (valid until the next call), 0 at the
 * end, -1 with errno set on a read error (EINVAL for a line that does not
 * parse or does not fit). The kernel lists the mappings one read() at a
 * time, so another thread mapping or unmapping meanwhile can make a later
 * entry start inside an earlier one; such an entry is left out, so the
 * list stays sorted and disjoint as the format requires. */
int rdump_maps_next(rdump_maps_reader *r, rdump_vma *out);
void rdump_maps_close(rdump_maps_reader *r);

/* smaps' Swap: for [start, end), summed over the entries overlapping it,
 * in bytes; -1 with errno if smaps cannot be read. Reads smaps up to
 * there through a stack buffer. */
int64_t rdump_maps_swap_of(uint64_t start, uint64_t end);

/* Resident set size of this process in bytes from /proc/self/statm,
 * or -1 if it cannot be read. */
int64_t rdump_maps_rss_bytes(void);

#endif /* RDUMP_MAPS_H */
