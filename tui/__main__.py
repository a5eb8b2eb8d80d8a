from tui.start import main

raise SystemExit(main())
