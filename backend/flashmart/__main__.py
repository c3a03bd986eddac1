from flashmart.cli import main

main()
