module chartroom.dev/plugins/go-wasip1

go 1.23
