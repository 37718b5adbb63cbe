from parks.main import main

main()
