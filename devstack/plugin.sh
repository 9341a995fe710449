#!/bin/bash
# devstack plugin for snapzun: enable with
#   enable_plugin snapzun <git url of snapzun>
# Phases are dispatched to devstack/lib/snapzun.

source $DEST/snapzun/devstack/lib/snapzun

if is_service_enabled snapzun-api snapzun-compute snapzun-conductor; then
    if [[ "$1" == "stack" && "$2" == "install" ]]; then
        install_snapzun
    elif [[ "$1" == "stack" && "$2" == "post-config" ]]; then
        configure_snapzun
        create_snapzun_accounts
    elif [[ "$1" == "stack" && "$2" == "extra" ]]; then
        init_snapzun
        start_snapzun
    fi
    if [[ "$1" == "unstack" ]]; then
        stop_snapzun
    fi
fi
