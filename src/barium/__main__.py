from barium.cli import main

main()
