// Command ledgerverify checks IncidentLedger checkpoints, cosignatures and RFC 9162 proofs with
// code the ledger did not write: golang.org/x/mod/sumdb/note (C2SP signed notes, Ed25519) and
// golang.org/x/mod/sumdb/tlog (RFC 6962/9162 trees), plus crypto/ed25519 for tlog-cosignature/v1.
// It reads one JSON document (see GoInteropTests.cs) and prints one verdict line per item.
//
// Build in GOPATH mode against Debian's golang-golang-x-mod-dev:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o ledgerverify main.go
package main

import (
	"bufio"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type input struct {
	VerifierKey  string        `json:"verifierKey"`
	Checkpoints  []string      `json:"checkpoints"`
	Inclusion    []inclusion   `json:"inclusion"`
	Consistency  []consistency `json:"consistency"`
	Cosignatures []cosigned    `json:"cosignatures"`
}

type inclusion struct {
	Index int64    `json:"index"`
	Size  int64    `json:"size"`
	Leaf  string   `json:"leaf"`
	Root  string   `json:"root"`
	Path  []string `json:"path"`
}

type consistency struct {
	First      int64    `json:"first"`
	Second     int64    `json:"second"`
	FirstRoot  string   `json:"firstRoot"`
	SecondRoot string   `json:"secondRoot"`
	Path       []string `json:"path"`
}

type cosigned struct {
	WitnessKey string `json:"witnessKey"`
	Note       string `json:"note"`
}

func hash(s string) tlog.Hash {
	var h tlog.Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		fmt.Fprintf(os.Stderr, "bad hash %q\n", s)
		os.Exit(2)
	}
	copy(h[:], b)
	return h
}

func hashes(list []string) []tlog.Hash {
	out := make([]tlog.Hash, len(list))
	for i, s := range list {
		out[i] = hash(s)
	}
	return out
}

// checkpoint opens a signed note with the log's key and parses the tlog-checkpoint body.
func checkpoint(verifier note.Verifier, text string) (string, int64, tlog.Hash, error) {
	n, err := note.Open([]byte(text), note.VerifierList(verifier))
	if err != nil {
		return "", 0, tlog.Hash{}, err
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 3 {
		return "", 0, tlog.Hash{}, fmt.Errorf("checkpoint body has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		return "", 0, tlog.Hash{}, err
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != 32 {
		return "", 0, tlog.Hash{}, fmt.Errorf("bad root")
	}
	var h tlog.Hash
	copy(h[:], root)
	return lines[0], size, h, nil
}

// cosignature checks a C2SP tlog-cosignature/v1 line (type 0x04) by the witness key on the note.
func cosignature(witnessKey, text string) (uint64, error) {
	parts := strings.SplitN(witnessKey, "+", 3)
	if len(parts) != 3 {
		return 0, fmt.Errorf("bad witness key")
	}
	raw, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) != 33 || raw[0] != 0x04 {
		return 0, fmt.Errorf("not an Ed25519 cosignature key")
	}
	digest := sha256.Sum256(append(append([]byte(parts[0]+"\n"), 0x04), raw[1:]...))
	id := binary.BigEndian.Uint32(digest[:4])
	if fmt.Sprintf("%08x", id) != parts[1] {
		return 0, fmt.Errorf("key id mismatch")
	}
	split := strings.LastIndex(text, "\n\n")
	if split < 0 {
		return 0, fmt.Errorf("not a note")
	}
	body := text[:split+1]
	for _, line := range strings.Split(strings.TrimSuffix(text[split+2:], "\n"), "\n") {
		fields := strings.Fields(strings.TrimPrefix(line, "— "))
		if len(fields) != 2 || fields[0] != parts[0] {
			continue
		}
		sig, err := base64.StdEncoding.DecodeString(fields[1])
		if err != nil || len(sig) != 4+8+64 || binary.BigEndian.Uint32(sig[:4]) != id {
			continue
		}
		timestamp := binary.BigEndian.Uint64(sig[4:12])
		message := fmt.Sprintf("cosignature/v1\ntime %d\n%s", timestamp, body)
		if ed25519.Verify(ed25519.PublicKey(raw[1:]), []byte(message), sig[12:]) {
			return timestamp, nil
		}
		return 0, fmt.Errorf("cosignature does not verify")
	}
	return 0, fmt.Errorf("no cosignature by this witness")
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	verifier, err := note.NewVerifier(in.VerifierKey)
	if err != nil {
		fmt.Fprintln(os.Stderr, "verifier key:", err)
		os.Exit(2)
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for i, text := range in.Checkpoints {
		if origin, size, root, err := checkpoint(verifier, text); err != nil {
			fmt.Fprintf(out, "checkpoint %d fail\n", i)
		} else {
			fmt.Fprintf(out, "checkpoint %d ok %s %d %x\n", i, origin, size, root[:])
		}
	}
	for i, p := range in.Inclusion {
		verdict := "ok"
		if tlog.CheckRecord(tlog.RecordProof(hashes(p.Path)), p.Size, hash(p.Root), p.Index, hash(p.Leaf)) != nil {
			verdict = "fail"
		}
		fmt.Fprintf(out, "inclusion %d %s\n", i, verdict)
	}
	for i, p := range in.Consistency {
		verdict := "ok"
		if tlog.CheckTree(tlog.TreeProof(hashes(p.Path)), p.Second, hash(p.SecondRoot), p.First, hash(p.FirstRoot)) != nil {
			verdict = "fail"
		}
		fmt.Fprintf(out, "consistency %d %s\n", i, verdict)
	}
	for i, c := range in.Cosignatures {
		if timestamp, err := cosignature(c.WitnessKey, c.Note); err != nil {
			fmt.Fprintf(out, "cosignature %d fail\n", i)
		} else {
			fmt.Fprintf(out, "cosignature %d ok %d\n", i, timestamp)
		}
	}
}
