module gocheck.dev/traces/programs

go 1.22
