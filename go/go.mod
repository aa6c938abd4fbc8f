module github.com/gpureg/gpureg/go

go 1.24
